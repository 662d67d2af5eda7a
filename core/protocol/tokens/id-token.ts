/**
 * The OpenID Connect ID Token (OIDC Core §2, §3.1.3.6), signed with the client's algorithm:
 * the first of its `allowedIdentityTokenSigningAlgorithms` the key ring holds, else RS256,
 * which every relying party must support (OIDC Core §15.1).
 */
import { hash } from 'node:crypto'
import type { JWTPayload } from 'jose'
import type { Client } from '../../models/client.ts'
import { createHandle } from '../../stores/handles.ts'
import { OAuthError } from '../errors.ts'
import type { SigningAlgorithm, TokenSigner } from './token-signer.ts'

export interface IdTokenInput {
  issuer: string
  client: Client
  subjectId: string
  sessionId: string
  /** Epoch seconds. */
  authTime: number
  amr: readonly string[]
  nonce?: string | undefined
  /** The access token issued beside it, for `at_hash`. */
  accessToken?: string | undefined
  /** User claims to carry (already chosen by scope and `claims` request). */
  userClaims: Readonly<Record<string, unknown>>
  /** Epoch milliseconds. */
  now: number
}

export function idTokenAlgorithm(client: Client, supported: readonly SigningAlgorithm[]): SigningAlgorithm {
  const allowed = client.allowedIdentityTokenSigningAlgorithms
  if (allowed.length === 0) {
    if (supported.includes('RS256')) return 'RS256'
    throw new OAuthError('server_error', 'no RS256 key is configured for id_tokens', 500)
  }
  const usable = supported.find((alg) => allowed.includes(alg))
  if (!usable) throw new OAuthError('server_error', 'no key matches the client id_token algorithms', 500)
  return usable
}

export function idTokenClaims(input: IdTokenInput): JWTPayload {
  const iat = Math.floor(input.now / 1000)
  const claims: JWTPayload = { ...input.userClaims }
  claims.iss = input.issuer
  claims.sub = input.subjectId
  claims.aud = input.client.clientId
  claims.iat = iat
  claims.exp = iat + input.client.identityTokenLifetime
  claims.auth_time = input.authTime
  if (input.nonce !== undefined) claims.nonce = input.nonce
  claims.sid = input.sessionId
  if (input.amr.length > 0) claims.amr = [...input.amr]
  // OIDC Core §3.1.3.6: at_hash is the left half of the hash of the access token (SHA-256 for RS256/ES256).
  if (input.accessToken !== undefined) claims.at_hash = leftHalfHash(input.accessToken)
  if (input.client.includeJwtId) claims.jti = createHandle(16)
  return claims
}

export function signIdToken(
  signer: TokenSigner,
  input: IdTokenInput,
  supported: readonly SigningAlgorithm[],
): Promise<string> {
  return signer.sign(idTokenClaims(input), { alg: idTokenAlgorithm(input.client, supported), typ: 'JWT' })
}

function leftHalfHash(value: string): string {
  const digest = hash('sha256', value, 'buffer')
  return digest.subarray(0, digest.length / 2).toString('base64url')
}
