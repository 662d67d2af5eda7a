/**
 * Protocol errors: one type carrying the RFC error code and HTTP status. Routes throw it;
 * the server turns it into the response in one place.
 */

/** Error codes from RFC 6749 §4.1.2.1 and §5.2, RFC 7009, RFC 8628 §3.5, RFC 8707 and OIDC Core §3.1.2.6. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'unsupported_token_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
  | 'invalid_request_uri'
  | 'invalid_request_object'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'invalid_token'
  | 'insufficient_scope'
  // RFC 9449 §5, §8, §12.2
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'

/** The status each code carries at the token endpoint unless a caller says otherwise (RFC 6749 §5.2). */
const defaultStatus: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  server_error: 500,
  temporarily_unavailable: 503,
}

export class OAuthError extends Error {
  override name = 'OAuthError'
  readonly status: number

  constructor(
    readonly error: OAuthErrorCode,
    readonly description?: string,
    status?: number,
    /** Extra response headers, e.g. `WWW-Authenticate` for a failed Basic authentication. */
    readonly headers: Record<string, string> = {},
  ) {
    super(description ? `${error}: ${description}` : error)
    this.status = status ?? defaultStatus[error] ?? 400
  }

  /** The JSON body of RFC 6749 §5.2. */
  toJSON(): { error: OAuthErrorCode; error_description?: string } {
    return this.description
      ? { error: this.error, error_description: this.description.replace(outsideDescriptionCharset, '?') }
      : { error: this.error }
  }
}

/**
 * RFC 6749 §4.1.2.1 and §5.2: error_description holds %x20-21 / %x23-5B / %x5D-7E only. A
 * description that echoes request input (a grant type, a resource) may hold anything else.
 */
const outsideDescriptionCharset = /[^\x20\x21\x23-\x5B\x5D-\x7E]/g
