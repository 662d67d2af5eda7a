/**
 * Which of a user's claims a grant releases: those of the granted identity resources
 * (`profile` → `name`, `given_name` …; OIDC Core §5.4), optionally narrowed to names asked for
 * with the `claims` parameter. Protocol claims are never taken from a user's profile.
 */
import type { ApiResource, ApiScope, IdentityResource } from '../models/resources.ts'

const protocolClaims = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'auth_time',
  'nonce',
  'acr',
  'amr',
  'azp',
  'sid',
  'at_hash',
  'c_hash',
  'client_id',
  'scope',
  'cnf',
])

/** Claim names the granted identity resources release. */
export function releasableClaimNames(identityResources: readonly IdentityResource[]): Set<string> {
  const names = new Set<string>()
  for (const resource of identityResources) for (const name of resource.userClaims) names.add(name)
  for (const name of protocolClaims) names.delete(name)
  return names
}

/** The user's claims among `names` (absent and null values left out). */
export function pickClaims(
  claims: Readonly<Record<string, unknown>>,
  names: Iterable<string>,
): Record<string, unknown> {
  const picked: Record<string, unknown> = {}
  for (const name of names) {
    const value = claims[name]
    if (value !== undefined && value !== null && Object.hasOwn(claims, name)) picked[name] = value
  }
  return picked
}

/**
 * Claim names the granted API scopes and resources ask to find in access tokens (their
 * `userClaims`, as IdentityServer puts them there), protocol claims excepted.
 */
export function accessTokenClaimNames(audience: {
  apiScopes: readonly ApiScope[]
  apiResources: readonly ApiResource[]
}): Set<string> {
  const names = new Set<string>()
  for (const resource of [...audience.apiScopes, ...audience.apiResources]) {
    for (const name of resource.userClaims) if (!protocolClaims.has(name)) names.add(name)
  }
  return names
}
