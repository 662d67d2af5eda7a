/**
 * A credential attached to a client or an API resource (IdentityServer's `Secret`).
 *
 * `SharedSecret` values are stored as the base64 SHA-256 of the plain secret (see
 * `hashSecret`), never in plain text. `JsonWebKey` values hold a public JWK as JSON,
 * used for `private_key_jwt` client authentication (RFC 7523).
 */
import { createHash } from 'node:crypto'

export interface Secret {
  type: SecretType
  value: string
  description?: string
  /** Epoch milliseconds after which the secret is refused. */
  expiration?: number
}

export type SecretType = 'SharedSecret' | 'JsonWebKey'

/**
 * The stored form of a `SharedSecret`: base64 SHA-256 of the plain value (as IdentityServer's
 * `Sha256()`). A fast hash suffices because client and API secrets are high-entropy.
 */
export function hashSecret(plain: string): string {
  return createHash('sha256').update(plain, 'utf8').digest('base64')
}
