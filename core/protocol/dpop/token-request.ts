/**
 * DPoP at the token endpoint (RFC 9449 §5) and the PAR endpoint (§10.1), which take proofs
 * alike: the proof of a request, and which tokens it binds. Access tokens are bound for every
 * client that sends a proof; refresh tokens only for public clients, since a confidential
 * client's refresh token is already bound to its authentication (§5).
 */
import type { Client } from '../../models/client.ts'
import type { ClientAuthenticationMethod } from '../client-authentication.ts'
import { OAuthError } from '../errors.ts'
import type { DPoPBinding, DPoPValidator } from './dpop-validator.ts'

export interface TokenRequestProof {
  /** The DPoP header as received. */
  dpop?: string | undefined
  /** The endpoint's URL under the issuer (`htu`). */
  endpointUrl: string
  /**
   * Receives the nonce a success answer sends in `DPoP-Nonce` (RFC 9449 §8.2) when the proof
   * needed one; the route sets the header. Given only with a DPoP header.
   */
  onDPoPNonce?: ((nonce: string) => void) | undefined
}

/**
 * The binding of a token request's proof. Called only when the request carries a DPoP header
 * or the client requires DPoP (`requireDPoP`, RFC 9449 §5.2 `dpop_bound_access_tokens`), so a
 * request without DPoP pays nothing.
 */
export async function tokenRequestBinding(
  validator: DPoPValidator | undefined,
  request: TokenRequestProof,
  client: Client,
): Promise<DPoPBinding> {
  if (!validator) throw new OAuthError('invalid_dpop_proof', 'this server does not accept DPoP proofs')
  const binding = await validator.validate(
    { header: request.dpop, method: 'POST', url: request.endpointUrl, requireNonce: client.requireDPoPNonce },
    'token',
  )
  if (binding.nonce !== undefined) request.onDPoPNonce?.(binding.nonce)
  return binding
}

/** RFC 9449 §5: the key a new refresh token is bound to: the proof's, for a public client only. */
export function refreshTokenBinding(
  method: ClientAuthenticationMethod,
  dpop: DPoPBinding | undefined,
): string | undefined {
  return method === 'none' ? dpop?.jkt : undefined
}
