/**
 * RFC 9068 JWT access tokens: the claim set every access token carries (JWT or reference)
 * and its signing as `typ: at+jwt`.
 */
import type { JWTPayload } from 'jose'
import type { Client } from '../../models/client.ts'
import type { ApiResource } from '../../models/resources.ts'
import { createHandle } from '../../stores/handles.ts'
import { OAuthError } from '../errors.ts'
import type { SigningAlgorithm, TokenSigner } from './token-signer.ts'

/** RFC 9068 §2.1: the media type in the JOSE header. */
export const accessTokenType = 'at+jwt'

export interface AccessTokenClaimsInput {
  issuer: string
  client: Client
  audiences: readonly string[]
  scopes: readonly string[]
  /** Epoch milliseconds. */
  now: number
  /** The user, when there is one; otherwise `sub` is the client_id (RFC 9068 §2.2). */
  subjectId?: string | undefined
  sessionId?: string | undefined
  /** Epoch seconds of the user's authentication. */
  authTime?: number | undefined
  /** Further claims (user claims, extension grants); protocol claims win over these. */
  extraClaims?: Record<string, unknown> | undefined
}

const protocolClaims = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'client_id',
  'scope',
  'auth_time',
  'sid',
  'cnf',
])

/** RFC 9068 §2.2 claims, plus the client's own claims under its prefix (IdentityServer's `client_` claims). */
export function accessTokenClaims(input: AccessTokenClaimsInput): JWTPayload {
  const { client } = input
  const iat = Math.floor(input.now / 1000)
  const claims: JWTPayload = {}
  if (input.extraClaims) {
    for (const [name, value] of Object.entries(input.extraClaims)) {
      if (!protocolClaims.has(name)) claims[name] = value
    }
  }
  if (!input.subjectId || client.alwaysSendClientClaims) {
    for (const { type, value } of client.claims) {
      const name = `${client.clientClaimsPrefix}${type}`
      if (protocolClaims.has(name)) continue
      const existing = claims[name]
      claims[name] =
        existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]
    }
  }
  claims.iss = input.issuer
  claims.sub = input.subjectId ?? client.clientId
  claims.aud = input.audiences.length === 1 ? input.audiences[0] : [...input.audiences]
  claims.client_id = client.clientId
  claims.scope = input.scopes.join(' ')
  claims.iat = iat
  claims.nbf = iat
  claims.exp = iat + client.accessTokenLifetime
  // RFC 9068 §2.2 requires jti; 128 bits keeps it unguessable and unique.
  claims.jti = createHandle(16)
  if (input.subjectId) {
    if (input.authTime !== undefined) claims.auth_time = input.authTime
    if (input.sessionId) claims.sid = input.sessionId
  }
  return claims
}

/**
 * The algorithm that signs an access token for these API resources: the deployment default
 * unless a resource's `allowedAccessTokenSigningAlgorithms` rules it out, then the first
 * algorithm every resource allows and the key ring holds.
 */
export function accessTokenAlgorithm(
  apiResources: readonly ApiResource[],
  defaultAlgorithm: SigningAlgorithm,
  supported: readonly SigningAlgorithm[],
): SigningAlgorithm {
  let candidates: SigningAlgorithm[] | undefined
  for (const resource of apiResources) {
    const allowed = resource.allowedAccessTokenSigningAlgorithms
    if (allowed.length === 0) continue
    candidates = (candidates ?? supported).filter((alg) => allowed.includes(alg))
  }
  if (!candidates) return defaultAlgorithm
  if (candidates.includes(defaultAlgorithm)) return defaultAlgorithm
  const usable = candidates[0]
  if (!usable)
    throw new OAuthError('invalid_target', 'no signing algorithm is acceptable to every requested resource')
  return usable
}

export function signJwtAccessToken(
  signer: TokenSigner,
  claims: JWTPayload,
  alg: SigningAlgorithm,
): Promise<string> {
  return signer.sign(claims, { alg, typ: accessTokenType })
}
