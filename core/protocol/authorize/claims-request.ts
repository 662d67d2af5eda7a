/**
 * The `claims` request parameter (OpenID Connect Core §5.5): individual claims asked for in
 * the id_token or from userinfo. Portico honours the claim names (with or without
 * `essential`) among the claims the granted scopes release, so the parameter moves claims
 * into the id_token but never widens what the user consented to.
 */
import { OAuthError } from '../errors.ts'

export interface ClaimsRequest {
  /** Claim names asked for in the id_token. */
  idToken: string[]
  /** Claim names asked for from userinfo. */
  userinfo: string[]
}

const maxClaims = 100

export function parseClaimsRequest(value: string | undefined): ClaimsRequest | undefined {
  if (value === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    throw new OAuthError('invalid_request', 'the claims parameter is not JSON')
  }
  if (!isObject(parsed)) throw new OAuthError('invalid_request', 'the claims parameter must be a JSON object')
  return { idToken: members(parsed.id_token, 'id_token'), userinfo: members(parsed.userinfo, 'userinfo') }
}

function members(section: unknown, name: string): string[] {
  if (section === undefined || section === null) return []
  if (!isObject(section)) throw new OAuthError('invalid_request', `claims.${name} must be a JSON object`)
  const names = Object.keys(section)
  if (names.length > maxClaims)
    throw new OAuthError('invalid_request', `claims.${name} asks for too many claims`)
  for (const claim of names) {
    const request = section[claim]
    // §5.5.1: each member is null or an object with essential / value / values.
    if (request !== null && !isObject(request)) {
      throw new OAuthError('invalid_request', `claims.${name}.${claim} must be null or an object`)
    }
  }
  return names
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
