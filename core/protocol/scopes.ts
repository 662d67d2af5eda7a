/**
 * Scope validation: what a client asks for, against what it is allowed and what exists.
 */
import type { Client } from '../models/client.ts'
import type { ApiResource, ApiScope, IdentityResource } from '../models/resources.ts'
import { OAuthError } from './errors.ts'
import { requireIdentifierLength } from './request-parameters.ts'

export interface ResourceLookup {
  findApiScopes(names: readonly string[]): Promise<ApiScope[]>
  findIdentityResources(names: readonly string[]): Promise<IdentityResource[]>
  findApiResourcesByScope(scopeNames: readonly string[]): Promise<ApiResource[]>
}

/** The scopes a grant carries and the resources they bring. */
export interface GrantedResources {
  /** Scope names in the order asked for. */
  scopes: string[]
  identityResources: IdentityResource[]
  apiScopes: ApiScope[]
  /** Enabled API resources accepting at least one granted API scope. */
  apiResources: ApiResource[]
}

/** OIDC Core §11: the scope that asks for a refresh token. */
export const offlineAccessScope = 'offline_access'

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/

/** The `scope` parameter as a list of distinct names, or undefined when absent. */
export function parseScope(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const names = value.split(' ').filter((name) => name !== '')
  if (names.length === 0) return undefined
  for (const name of names) {
    if (!scopeToken.test(name)) throw new OAuthError('invalid_scope', 'the scope parameter is malformed')
    requireIdentifierLength('a scope name', name)
  }
  return [...new Set(names)]
}

export interface ScopeValidationOptions {
  /** Whether identity scopes (`openid`, `offline_access` …) may be granted; not for client_credentials. */
  identityScopes: boolean
}

/**
 * Validates requested scopes against the client's `allowedScopes` and the enabled resources
 * (RFC 6749 §3.3). With nothing requested, the client gets every API scope it is allowed.
 */
export async function validateScopes(
  lookup: ResourceLookup,
  client: Client,
  requested: readonly string[] | undefined,
  options: ScopeValidationOptions,
): Promise<GrantedResources> {
  const explicit = requested !== undefined
  const names = requested ?? client.allowedScopes
  if (explicit) {
    const allowed = new Set(client.allowedScopes)
    for (const name of names) {
      // As IdentityServer: offline_access is allowed by `allowOfflineAccess`, not `allowedScopes`.
      if (name === offlineAccessScope ? !client.allowOfflineAccess : !allowed.has(name)) {
        throw new OAuthError('invalid_scope', `the client may not request ${name}`)
      }
    }
  }
  const [apiScopes, identityResources] = await Promise.all([
    lookup.findApiScopes(names),
    options.identityScopes || explicit ? lookup.findIdentityResources(names) : Promise.resolve([]),
  ])
  const apiByName = new Map(apiScopes.filter((s) => s.enabled).map((s) => [s.name, s]))
  const identityByName = new Map(identityResources.filter((r) => r.enabled).map((r) => [r.name, r]))

  const granted: string[] = []
  for (const name of names) {
    if (apiByName.has(name)) {
      granted.push(name)
    } else if (identityByName.has(name)) {
      if (!options.identityScopes) throw new OAuthError('invalid_scope', `${name} cannot be granted here`)
      granted.push(name)
    } else if (explicit) {
      throw new OAuthError('invalid_scope', `unknown scope ${name}`)
    }
  }
  if (granted.length === 0) throw new OAuthError('invalid_scope', 'no scope can be granted to this client')

  const grantedApi = granted.filter((name) => apiByName.has(name))
  const apiResources =
    grantedApi.length > 0 ? (await lookup.findApiResourcesByScope(grantedApi)).filter((r) => r.enabled) : []
  return {
    scopes: granted,
    identityResources: granted.filter((n) => identityByName.has(n)).map((n) => identityByName.get(n)!),
    apiScopes: grantedApi.map((n) => apiByName.get(n)!),
    apiResources,
  }
}
