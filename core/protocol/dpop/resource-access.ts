/**
 * RFC 9449 §7: a protected resource request (here: userinfo) with a DPoP-bound access token.
 * The token comes with the DPoP scheme and a proof by the key it is bound to, carrying `ath`
 * of the token; a bound token sent as a Bearer token, with no proof or with a proof by another
 * key is refused with 401 `invalid_token` and a DPoP challenge (§7.1).
 */
import type { JWTPayload } from 'jose'
import type { Client } from '../../models/client.ts'
import { type DPoPValidator, dpopError } from './dpop-validator.ts'

/** How the access token reached the resource. */
export interface TokenPresentation {
  /** The Authorization scheme; `Bearer` also for a token in a form body. */
  scheme: 'Bearer' | 'DPoP'
  /** The DPoP header as received. */
  proof?: string | undefined
  method: string
  /** The resource's URL under the issuer (`htu`). */
  url: string
  /** Takes the `DPoP-Nonce` of a success answer where a nonce was required (RFC 9449 §9). */
  onDPoPNonce?: ((nonce: string) => void) | undefined
}

/** The `cnf.jkt` a token is bound to (RFC 9449 §6.1), if any. */
export function boundKey(claims: JWTPayload): string | undefined {
  const cnf = claims.cnf as { jkt?: unknown } | undefined
  return typeof cnf?.jkt === 'string' ? cnf.jkt : undefined
}

/** Throws unless the presentation satisfies the token's binding (none for an unbound Bearer token). */
export async function checkSenderConstraint(
  validator: DPoPValidator | undefined,
  access: { token: string; claims: JWTPayload; client: Client; presentation: TokenPresentation },
): Promise<void> {
  const { presentation } = access
  const jkt = boundKey(access.claims)
  if (presentation.scheme === 'Bearer') {
    // §7.2: a bound token loses nothing by being stolen only if Bearer use is refused.
    if (jkt !== undefined) throw dpopError('resource', 'invalid_token', 'the access token is DPoP-bound')
    return
  }
  if (!validator) throw dpopError('resource', 'invalid_token', 'this server does not accept DPoP proofs')
  const binding = await validator.validate(
    {
      header: presentation.proof,
      method: presentation.method,
      url: presentation.url,
      accessToken: access.token,
      requireNonce: access.client.requireDPoPNonce,
    },
    'resource',
  )
  // §7.1: the proof's key must be the one the token is bound to.
  if (binding.jkt !== jkt) {
    throw dpopError(
      'resource',
      'invalid_token',
      jkt === undefined ? 'the access token is not DPoP-bound' : 'the DPoP proof is by another key',
    )
  }
  if (binding.nonce !== undefined) presentation.onDPoPNonce?.(binding.nonce)
}
