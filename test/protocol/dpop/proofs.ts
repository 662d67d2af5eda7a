/** DPoP proofs as a client makes them (RFC 9449 §4.2), with keys generated in the test and any part overridable. */
import { base64url, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'

export interface ProofKey {
  privateKey: CryptoKey
  publicJwk: JWK
  alg: string
}

export async function proofKey(alg = 'ES256'): Promise<ProofKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  return { privateKey, publicJwk: await exportJWK(publicKey), alg }
}

export interface ProofOptions {
  htm?: string
  htu: string
  /** Epoch seconds (default now). */
  iat?: number
  jti?: string
  nonce?: string
  /** The access token whose `ath` the proof carries. */
  accessToken?: string
  /** Replaces the JOSE header's members. */
  header?: Record<string, unknown>
  /** Replaces (undefined removes) payload members. */
  claims?: Record<string, unknown>
}

export async function ath(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))
  return base64url.encode(new Uint8Array(digest))
}

export async function makeProof(key: ProofKey, options: ProofOptions): Promise<string> {
  const payload: Record<string, unknown> = {
    jti: options.jti ?? crypto.randomUUID(),
    htm: options.htm ?? 'POST',
    htu: options.htu,
    iat: options.iat ?? Math.floor(Date.now() / 1000),
  }
  if (options.nonce !== undefined) payload.nonce = options.nonce
  if (options.accessToken !== undefined) payload.ath = await ath(options.accessToken)
  for (const [name, value] of Object.entries(options.claims ?? {})) {
    if (value === undefined) delete payload[name]
    else payload[name] = value
  }
  return new SignJWT(payload)
    .setProtectedHeader({ typ: 'dpop+jwt', alg: key.alg, jwk: key.publicJwk, ...options.header } as never)
    .sign(key.privateKey)
}

/** An unsigned JWT (`alg: none`) with a DPoP header and claims, as an attacker would send it. */
export function unsignedProof(key: ProofKey, htu: string): string {
  const encode = (value: object) => base64url.encode(JSON.stringify(value))
  const header = encode({ typ: 'dpop+jwt', alg: 'none', jwk: key.publicJwk })
  const payload = encode({ jti: crypto.randomUUID(), htm: 'POST', htu, iat: Math.floor(Date.now() / 1000) })
  return `${header}.${payload}.`
}

/** A proof MACed with HS256 over a symmetric key placed in the jwk header. */
export async function hmacProof(htu: string): Promise<string> {
  const secret = crypto.getRandomValues(new Uint8Array(32))
  return new SignJWT({ jti: crypto.randomUUID(), htm: 'POST', htu, iat: Math.floor(Date.now() / 1000) })
    .setProtectedHeader({
      typ: 'dpop+jwt',
      alg: 'HS256',
      jwk: { kty: 'oct', k: base64url.encode(secret) },
    } as never)
    .sign(secret)
}

/** A proof whose jwk header carries the private key too. */
export async function privateKeyProof(key: ProofKey, htu: string): Promise<string> {
  const privateJwk = await exportJWK(key.privateKey)
  return makeProof(key, { htu, header: { jwk: privateJwk } })
}
