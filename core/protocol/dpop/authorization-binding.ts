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

/**
 * RFC 9449 §10.1: a proof at the PAR endpoint binds the pushed request as `dpop_jkt` would, so
 * the code is exchanged only with a proof by its key. Both present, they must name one key.
 */
export function bindPushedRequest(params: URLSearchParams, dpop: DPoPBinding): void {
  const named = params.get('dpop_jkt')
  if (named === null) params.set('dpop_jkt', dpop.jkt)
  else if (named !== dpop.jkt) {
    throw new OAuthError('invalid_request', 'dpop_jkt does not match the key of the DPoP proof')
  }
}
