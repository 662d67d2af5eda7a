/**
 * DPoP at the token endpoint (RFC 9449 §5): the proof of a token request, and which tokens
 * it binds. Access tokens are bound for every client that sends a proof; refresh tokens only
 * for public clients, since a confidential client's refresh token is already bound to its
 * authentication (§5).
 */
import type { Client } from '../../models/client.ts'
import type { ClientAuthenticationMethod } from '../client-authentication.ts'
import { OAuthError } from '../errors.ts'
import type { DPoPBinding, DPoPValidator } from './dpop-validator.ts'

export interface TokenRequestProof {
  /** The DPoP header as received. */
  dpop?: string | undefined
  /** The token endpoint's URL under the issuer (`htu`). */
  endpointUrl: string
}

/**
 * The binding of a token request's proof. Called only when the request carries a DPoP header
 * or the client requires DPoP (`requireDPoP`, RFC 9449 §5.2 `dpop_bound_access_tokens`), so a
 * request without DPoP pays nothing.
 */
export function tokenRequestBinding(
  validator: DPoPValidator | undefined,
  request: TokenRequestProof,
  client: Client,
): Promise<DPoPBinding> {
  if (!validator) throw new OAuthError('invalid_dpop_proof', 'this server does not accept DPoP proofs')
  return validator.validate(
    { header: request.dpop, method: 'POST', url: request.endpointUrl, requireNonce: client.requireDPoPNonce },
    'token',
  )
}

/** RFC 9449 §5: the key a new refresh token is bound to: the proof's, for a public client only. */
export function refreshTokenBinding(
  method: ClientAuthenticationMethod,
  dpop: DPoPBinding | undefined,
): string | undefined {
  return method === 'none' ? dpop?.jkt : undefined
}
