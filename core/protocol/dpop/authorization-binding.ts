/**
 * RFC 9449 §10: `dpop_jkt` at the authorize endpoint binds the authorization code to a DPoP
 * key, so the code is exchanged only with a proof by that key (a stolen code is useless).
 */
import { OAuthError } from '../errors.ts'
import type { DPoPBinding } from './dpop-validator.ts'

/** A SHA-256 JWK thumbprint, base64url (RFC 7638 §3). */
const thumbprint = /^[A-Za-z0-9_-]{43}$/

/** The `dpop_jkt` authorization request parameter, checked for its shape. */
export function readDPoPJkt(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!thumbprint.test(value)) {
    throw new OAuthError('invalid_request', 'dpop_jkt must be a SHA-256 JWK thumbprint (RFC 7638)')
  }
  return value
}

/** §10: the code exchange's proof must be by the key the authorization request named. */
export function checkCodeBinding(dpopJkt: string | undefined, dpop: DPoPBinding | undefined): void {
  if (dpopJkt !== undefined && dpopJkt !== dpop?.jkt) {
    throw new OAuthError('invalid_grant', 'the authorization code is bound to another DPoP key (dpop_jkt)')
  }
}
