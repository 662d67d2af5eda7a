/**
 * RFC 8707 resource indicators: which API resources an access token is for (its `aud`).
 */
import type { ApiResource } from '../models/resources.ts'
import { OAuthError } from './errors.ts'
import type { GrantedResources } from './scopes.ts'

export interface Audience extends GrantedResources {
  /** The token's `aud` values. */
  audiences: string[]
}

/**
 * Narrows a grant to the requested `resource` values. Each must be an absolute URI without a
 * fragment (RFC 8707 §2) naming an API resource that accepts a granted scope, else
 * `invalid_target`; the scopes are then narrowed to what those resources accept. Without
 * `resource`, the audience is every granted API resource that does not insist on being named.
 * With no API resource at all, the audience is `<issuer>/resources` (IdentityServer's static
 * audience), because RFC 9068 §2.2 requires an `aud`.
 */
export function selectAudience(
  granted: GrantedResources,
  resources: readonly string[],
  issuer: string,
): Audience {
  if (resources.length === 0) {
    const apiResources = granted.apiResources.filter((r) => !r.requireResourceIndicator)
    return { ...granted, apiResources, audiences: audiencesOf(apiResources, issuer) }
  }
  const byName = new Map(granted.apiResources.map((r) => [r.name, r]))
  const named: ApiResource[] = []
  for (const value of new Set(resources)) {
    if (!isResourceIndicator(value)) {
      throw new OAuthError('invalid_target', 'resource must be an absolute URI without a fragment')
    }
    const resource = byName.get(value)
    if (!resource) throw new OAuthError('invalid_target', `${value} is not a resource this grant can reach`)
    named.push(resource)
  }
  const accepted = new Set(named.flatMap((r) => r.scopes))
  const apiScopes = granted.apiScopes.filter((s) => accepted.has(s.name))
  const identityNames = new Set(granted.identityResources.map((r) => r.name))
  return {
    scopes: granted.scopes.filter((name) => identityNames.has(name) || accepted.has(name)),
    identityResources: granted.identityResources,
    apiScopes,
    apiResources: named,
    audiences: named.map((r) => r.name),
  }
}

function audiencesOf(apiResources: readonly ApiResource[], issuer: string): string[] {
  return apiResources.length > 0 ? apiResources.map((r) => r.name) : [`${issuer}/resources`]
}

function isResourceIndicator(value: string): boolean {
  if (value.includes('#')) return false
  try {
    new URL(value)
    return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)
  } catch {
    return false
  }
}

/**
 * The audience of a token issued from an earlier grant (a code, a refresh token): the token
 * request may narrow the grant's `resource` values (RFC 8707 §2.2), never name others.
 */
export function narrowedAudience(
  granted: GrantedResources,
  asked: readonly string[],
  grantResources: readonly string[],
  issuer: string,
): Audience {
  if (grantResources.length > 0 && asked.some((resource) => !grantResources.includes(resource))) {
    throw new OAuthError('invalid_target', 'resource was not part of the original grant')
  }
  return selectAudience(granted, asked.length > 0 ? asked : grantResources, issuer)
}
