/**
 * The authorization response (RFC 6749 §4.1.2) and its error form (§4.1.2.1), in the client's
 * response mode: query, fragment (OAuth 2.0 Multiple Response Types §2) or form_post (OAuth
 * 2.0 Form Post Response Mode). Every response carries `iss` (RFC 9207 §2).
 */
import type { OAuthError } from '../errors.ts'
import type { ErrorDestination, ResponseMode } from './authorize-request.ts'

export interface AuthorizationResponse {
  redirectUri: string
  mode: ResponseMode
  params: Record<string, string>
}

export function codeResponse(
  destination: ErrorDestination,
  code: string,
  issuer: string,
): AuthorizationResponse {
  const params: Record<string, string> = { code }
  if (destination.state !== undefined) params.state = destination.state
  params.iss = issuer
  return { redirectUri: destination.redirectUri, mode: destination.responseMode, params }
}

export function errorAuthorizationResponse(
  destination: ErrorDestination,
  error: OAuthError,
  issuer: string,
): AuthorizationResponse {
  const params: Record<string, string> = { ...error.toJSON() }
  if (destination.state !== undefined) params.state = destination.state
  params.iss = issuer
  return { redirectUri: destination.redirectUri, mode: destination.responseMode, params }
}

/** The URL a query or fragment response redirects to; a query the redirect URI already has is kept (§3.1.2). */
export function responseLocation(response: AuthorizationResponse): string {
  const encoded = new URLSearchParams(response.params).toString()
  if (response.mode === 'fragment') return `${response.redirectUri}#${encoded}`
  const separator = response.redirectUri.includes('?') ? '&' : '?'
  return `${response.redirectUri}${separator}${encoded}`
}
