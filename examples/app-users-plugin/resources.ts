/**
 * Identity resources, API scopes and API resources: the application has no tables for them, so
 * they live wholly in the plugin's schema, written by Portico's seed and admin CLI.
 */
import type { ApiResource, ApiScope, IdentityResource, ResourceStore } from 'portico'
import type { Database } from './database.ts'
import { jsonRecords } from './records.ts'

export function sideResources(db: Database, schema: string): ResourceStore {
  const identity = jsonRecords<IdentityResource>(db, schema, 'identity_resource')
  const scopes = jsonRecords<ApiScope>(db, schema, 'api_scope')
  const apis = jsonRecords<ApiResource>(db, schema, 'api_resource')
  return {
    findIdentityResourcesByScopeName: (names) => identity.find(names),
    findApiScopesByName: (names) => scopes.find(names),
    findApiResourcesByScopeName: (names) => apis.withAnyScope(names),
    findApiResourcesByName: (names) => apis.find(names),
    async getAllResources() {
      const [identityResources, apiScopes, apiResources] = await Promise.all([
        identity.all(),
        scopes.all(),
        apis.all(),
      ])
      return { identityResources, apiScopes, apiResources }
    },
    upsertIdentityResource: (resource) => identity.put(resource.name, resource),
    upsertApiScope: (scope) => scopes.put(scope.name, scope),
    upsertApiResource: (resource) => apis.put(resource.name, resource),
    removeIdentityResource: (name) => identity.remove(name),
    removeApiScope: (name) => scopes.remove(name),
    removeApiResource: (name) => apis.remove(name),
  }
}
