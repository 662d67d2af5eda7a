/**
 * Handles (codes, refresh tokens, reference tokens, session ids) are random strings given to
 * clients; stores only ever see their digest, so a leaked table holds no usable token.
 */
import { hash, randomBytes } from 'node:crypto'

/** A new handle with `bytes` of entropy (default 256 bits), base64url without padding. */
export function createHandle(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/**
 * The store key for a handle: SHA-256 over type and handle, so the same handle used as two
 * grant types never collides (as IdentityServer's `GetHashedKey`).
 */
export function grantKey(handle: string, type: string): string {
  // One-shot hash: no Hash object per lookup (the same digest as createHash().update().digest()).
  return hash('sha256', `${type}:${handle}`, 'base64url')
}
