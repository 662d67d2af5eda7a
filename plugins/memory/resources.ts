import type { ApiResource, ApiScope, IdentityResource } from '../../core/models/resources.ts'
import type { ResourceStore } from '../../core/stores/configuration.ts'
import { compare } from './clients.ts'
import { copy, type MemoryLifecycle } from './lifecycle.ts'

export function memoryResourceStore(life: MemoryLifecycle): ResourceStore {
  const identityResources = new Map<string, IdentityResource>()
  const apiScopes = new Map<string, ApiScope>()
  const apiResources = new Map<string, ApiResource>()

  function byName<T extends { name: string }>(map: Map<string, T>, names: readonly string[]): T[] {
    life.assertOpen()
    const found: T[] = []
    for (const name of new Set(names)) {
      const value = map.get(name)
      if (value) found.push(copy(value))
    }
    return found
  }

  function all<T extends { name: string }>(map: Map<string, T>): T[] {
    return [...map.values()].sort((a, b) => compare(a.name, b.name)).map(copy)
  }

  function upsert<T extends { name: string }>(map: Map<string, T>, value: T): void {
    life.assertOpen()
    map.set(value.name, copy(value))
  }

  function remove<T>(map: Map<string, T>, name: string): boolean {
    life.assertOpen()
    return map.delete(name)
  }

  return {
    async findIdentityResourcesByScopeName(names) {
      return byName(identityResources, names)
    },
    async findApiScopesByName(names) {
      return byName(apiScopes, names)
    },
    async findApiResourcesByScopeName(scopeNames) {
      life.assertOpen()
      const wanted = new Set(scopeNames)
      return all(apiResources).filter((resource) => resource.scopes.some((scope) => wanted.has(scope)))
    },
    async findApiResourcesByName(names) {
      return byName(apiResources, names)
    },
    async getAllResources() {
      life.assertOpen()
      return {
        identityResources: all(identityResources),
        apiScopes: all(apiScopes),
        apiResources: all(apiResources),
      }
    },
    async upsertIdentityResource(resource) {
      upsert(identityResources, resource)
    },
    async upsertApiScope(scope) {
      upsert(apiScopes, scope)
    },
    async upsertApiResource(resource) {
      upsert(apiResources, resource)
    },
    async removeIdentityResource(name) {
      return remove(identityResources, name)
    },
    async removeApiScope(name) {
      return remove(apiScopes, name)
    },
    async removeApiResource(name) {
      return remove(apiResources, name)
    },
  }
}
