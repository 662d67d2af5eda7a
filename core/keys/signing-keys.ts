/**
 * Signing keys: generation, import into cached CryptoKeys, and their public JWKs.
 * RS256 is the OIDC default for id_tokens (OIDC Core §15.1); ES256 is smaller and faster.
 */
import { generateKeyPair } from 'node:crypto'
import { promisify } from 'node:util'
import { importJWK, type JWK } from 'jose'
import { publicJwk } from './jwks.ts'

export const signingAlgorithms = ['RS256', 'ES256'] as const
export type SigningAlgorithm = (typeof signingAlgorithms)[number]

export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return (signingAlgorithms as readonly unknown[]).includes(value)
}

const generateKeyPairAsync = promisify(generateKeyPair)

/**
 * A new private JWK for `alg` (RSA 2048-bit per RFC 7518 §3.3, P-256 per §3.4). Generated with
 * node:crypto's asynchronous generateKeyPair, which runs off the event loop: WebCrypto's RSA
 * generation blocks it for ~100 ms per key, stalling every request while a key rotates in.
 */
export async function generateSigningJwk(alg: SigningAlgorithm): Promise<JWK> {
  const { privateKey } =
    alg === 'RS256'
      ? await generateKeyPairAsync('rsa', { modulusLength: 2048 })
      : await generateKeyPairAsync('ec', { namedCurve: 'P-256' })
  const { kty, n, e, d, p, q, dp, dq, qi, crv, x, y } = privateKey.export({ format: 'jwk' }) as JWK
  return JSON.parse(JSON.stringify({ kty, n, e, d, p, q, dp, dq, qi, crv, x, y })) as JWK
}

export interface ImportedSigningKey {
  privateKey: CryptoKey
  publicJwk: JWK
}

/** Imports a stored private JWK once; the CryptoKey is not extractable. */
export async function importSigningJwk(
  kid: string,
  alg: SigningAlgorithm,
  jwk: JWK,
): Promise<ImportedSigningKey> {
  const privateKey = await importJWK({ ...jwk, ext: false }, alg, { extractable: false })
  if (!(privateKey instanceof CryptoKey)) throw new TypeError(`key "${kid}" is not an asymmetric key`)
  return { privateKey, publicJwk: publicJwk(jwk, kid, alg) }
}
