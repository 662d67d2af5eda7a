/**
 * The Logout Token (OIDC Back-Channel Logout 1.0 §2.4): a JWT the OP POSTs to a client's
 * `backChannelLogoutUri` to end the user's session there. Signed like the client's ID Tokens
 * (§2.4: "signed ... as for ID Tokens"), explicitly typed `logout+jwt` (§2.4, RFC 8725 §3.11)
 * so it can never pass for an ID Token, and never carrying a `nonce` (§2.4: prohibited).
 */
import type { JWTPayload } from 'jose'
import type { Client } from '../../models/client.ts'
import { createHandle } from '../../stores/handles.ts'
import { idTokenAlgorithm } from './id-token.ts'
import type { SigningAlgorithm, TokenSigner } from './token-signer.ts'

export const backChannelLogoutEvent = 'http://schemas.openid.net/event/backchannel-logout'
export const logoutTokenType = 'logout+jwt'
/** §2.4 recommends a short life: the RP acts on it at once. */
export const logoutTokenLifetimeSeconds = 120

export interface LogoutTokenInput {
  issuer: string
  client: Client
  subjectId: string
  sessionId: string
  /** Epoch milliseconds. */
  now: number
}

export function logoutTokenClaims(input: LogoutTokenInput): JWTPayload {
  const iat = Math.floor(input.now / 1000)
  const claims: JWTPayload = {
    iss: input.issuer,
    aud: input.client.clientId,
    iat,
    exp: iat + logoutTokenLifetimeSeconds,
    jti: createHandle(16),
    events: { [backChannelLogoutEvent]: {} },
    sub: input.subjectId,
  }
  // §2.2: a client that registered backchannel_logout_session_required needs `sid`.
  if (input.client.backChannelLogoutSessionRequired) claims.sid = input.sessionId
  return claims
}

export function signLogoutToken(
  signer: TokenSigner,
  input: LogoutTokenInput,
  supported: readonly SigningAlgorithm[],
): Promise<string> {
  return signer.sign(logoutTokenClaims(input), {
    alg: idTokenAlgorithm(input.client, supported),
    typ: logoutTokenType,
  })
}
