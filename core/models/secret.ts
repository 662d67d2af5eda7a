/**
 * A credential attached to a client or an API resource (IdentityServer's `Secret`).
 *
 * `SharedSecret` values are stored as the base64 SHA-256 of the plain secret (see
 * `hashSecret`), never in plain text. `JsonWebKey` values hold a public JWK as JSON,
 * used for `private_key_jwt` client authentication (RFC 7523).
 */
export interface Secret {
  type: SecretType
  value: string
  description?: string
  /** Epoch milliseconds after which the secret is refused. */
  expiration?: number
}

export type SecretType = 'SharedSecret' | 'JsonWebKey'
