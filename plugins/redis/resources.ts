import type { ApiResource, ApiScope, IdentityResource } from '../../core/models/resources.ts'
import type { ResourceStore } from '../../core/stores/configuration.ts'
import { compareCodePoints } from '../../core/stores/order.ts'
import type { RedisConnection } from './connection.ts'
import type { Keyspace } from './keyspace.ts'

/**
 * Upserts (ARGV[3] JSON) or removes (ARGV[3] empty) the API resource ARGV[2] in KEYS[1] and
 * keeps its by-scope sets (`<ARGV[1]>api-resources:scope:<scope>`) in step; ARGV[4..] scopes.
 */
const writeApiResource = `
local old = redis.call('HGET', KEYS[1], ARGV[2])
if old then
  for _, scope in ipairs(cjson.decode(old).scopes or {}) do
    redis.call('SREM', ARGV[1] .. 'api-resources:scope:' .. scope, ARGV[2])
  end
end
if ARGV[3] == '' then return redis.call('HDEL', KEYS[1], ARGV[2]) end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
for i = 4, #ARGV do redis.call('SADD', ARGV[1] .. 'api-resources:scope:' .. ARGV[i], ARGV[2]) end
return 1`

/** The API resources listing any scope ARGV[2..], from the by-scope sets; one round trip. */
const apiResourcesByScope = `
local names, seen = {}, {}
for i = 2, #ARGV do
  for _, name in ipairs(redis.call('SMEMBERS', ARGV[1] .. 'api-resources:scope:' .. ARGV[i])) do
    if not seen[name] then
      seen[name] = true
      names[#names + 1] = name
    end
  end
end
if #names == 0 then return {} end
return redis.call('HMGET', KEYS[1], unpack(names))`

function byName<T extends { name: string }>(values: T[]): T[] {
  return values.sort((a, b) => compareCodePoints(a.name, b.name))
}

function parseAll<T extends { name: string }>(values: readonly (string | null)[]): T[] {
  return byName(values.filter((json): json is string => json !== null).map((json) => JSON.parse(json) as T))
}

export function redisResourceStore(connection: RedisConnection, keyspace: Keyspace): ResourceStore {
  const identityKey = `${keyspace.config}identity-resources`
  const scopeKey = `${keyspace.config}api-scopes`
  const apiKey = `${keyspace.config}api-resources`
  const writeApi = connection.script('portico_api_resource_write', 1, writeApiResource)
  const byScope = connection.script('portico_api_resources_by_scope', 1, apiResourcesByScope)

  async function find<T extends { name: string }>(key: string, names: readonly string[]): Promise<T[]> {
    const unique = [...new Set(names)]
    if (unique.length === 0) return []
    return parseAll<T>(await connection.run((client) => client.hmget(key, ...unique)))
  }

  async function all<T extends { name: string }>(key: string): Promise<T[]> {
    return parseAll<T>(await connection.run((client) => client.hvals(key)))
  }

  async function upsert(key: string, value: { name: string }): Promise<void> {
    await connection.run((client) => client.hset(key, value.name, JSON.stringify(value)))
  }

  async function remove(key: string, name: string): Promise<boolean> {
    return (await connection.run((client) => client.hdel(key, name))) === 1
  }

  return {
    findIdentityResourcesByScopeName: (names) => find<IdentityResource>(identityKey, names),
    findApiScopesByName: (names) => find<ApiScope>(scopeKey, names),
    async findApiResourcesByScopeName(scopeNames) {
      const unique = [...new Set(scopeNames)]
      if (unique.length === 0) return []
      return parseAll<ApiResource>(
        (await byScope([apiKey], [keyspace.config, ...unique])) as (string | null)[],
      )
    },
    findApiResourcesByName: (names) => find<ApiResource>(apiKey, names),
    async getAllResources() {
      const [identityResources, apiScopes, apiResources] = await Promise.all([
        all<IdentityResource>(identityKey),
        all<ApiScope>(scopeKey),
        all<ApiResource>(apiKey),
      ])
      return { identityResources, apiScopes, apiResources }
    },
    upsertIdentityResource: (resource) => upsert(identityKey, resource),
    upsertApiScope: (scope) => upsert(scopeKey, scope),
    async upsertApiResource(resource) {
      const scopes = [...new Set(resource.scopes)]
      await writeApi([apiKey], [keyspace.config, resource.name, JSON.stringify(resource), ...scopes])
    },
    removeIdentityResource: (name) => remove(identityKey, name),
    removeApiScope: (name) => remove(scopeKey, name),
    async removeApiResource(name) {
      return (await writeApi([apiKey], [keyspace.config, name, ''])) === 1
    },
  }
}
