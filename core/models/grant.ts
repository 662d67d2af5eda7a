/**
 * Server-side state handed out as an opaque handle (IdentityServer's `PersistedGrant`):
 * authorization codes, refresh tokens, reference access tokens and remembered consent.
 *
 * `key` is never the handle itself but `grantKey(handle, type)`, a SHA-256 digest, so a
 * leaked table holds no usable token.
 */
export interface PersistedGrant {
  key: string
  type: GrantType
  subjectId?: string
  sessionId?: string
  clientId: string
  description?: string
  /** Epoch milliseconds. */
  createdAt: number
  /** Epoch milliseconds; a grant at or past this instant no longer exists. */
  expiresAt: number
  /** Epoch milliseconds when a one-time grant was consumed. */
  consumedAt?: number
  /** The grant's payload, serialized by core; stores treat it as an opaque string. */
  data: string
}

export type GrantType =
  | 'authorization_code'
  | 'refresh_token'
  | 'reference_token'
  | 'user_consent'
  | (string & {})

/** Selects grants by any combination of these fields; at least one must be given. */
export interface GrantFilter {
  subjectId?: string
  clientId?: string
  sessionId?: string
  type?: GrantType
}

/**
 * RFC 8628 device authorization state, kept by device code and by user code.
 * `deviceCodeKey` is the digest of the device code, like a grant key.
 */
export interface DeviceCodeRecord {
  deviceCodeKey: string
  userCode: string
  clientId: string
  status: 'pending' | 'authorized' | 'denied'
  subjectId?: string
  sessionId?: string
  createdAt: number
  expiresAt: number
  consumedAt?: number
  /** Requested scopes and, once authorized, the granted ones; serialized by core. */
  data: string
}

/** A server-side login session (IdentityServer's `ServerSideSession`). */
export interface UserSession {
  /** Digest of the session cookie's handle. */
  key: string
  subjectId: string
  /** The `sid` claim. */
  sessionId: string
  displayName?: string
  createdAt: number
  renewedAt: number
  expiresAt: number
  data: string
}
