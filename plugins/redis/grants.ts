import type { GrantFilter, PersistedGrant } from '../../core/models/grant.ts'
import type { PersistedGrantStore } from '../../core/stores/operational.ts'
import { Collection } from './collection.ts'
import type { RedisConnection } from './connection.ts'
import type { Keyspace } from './keyspace.ts'

/** Most selective first: the first given field picks the index a filter walks. */
const filterFields = ['sessionId', 'subjectId', 'clientId', 'type'] as const

function filterPairs(filter: GrantFilter): [string, string][] {
  const pairs = filterFields.flatMap((field): [string, string][] => {
    const value = filter[field]
    return value === undefined ? [] : [[field, value]]
  })
  // An empty filter would select every grant; the contract refuses it rather than guess.
  if (pairs.length === 0) {
    throw new TypeError('grant filter needs at least one of subjectId, clientId, sessionId, type')
  }
  return pairs
}

export function redisGrantStore(
  connection: RedisConnection,
  keyspace: Keyspace,
  now: () => number,
): PersistedGrantStore {
  const grants = new Collection<PersistedGrant>(
    connection,
    { name: 'grant', indexes: filterFields, numeric: ['createdAt', 'expiresAt', 'consumedAt'] },
    now,
    (key) => keyspace.bucketOf(key),
    () => keyspace.allBuckets(),
  )
  return {
    store: (grant) => grants.put(grant.key, grant),
    get: (key) => grants.get(key),
    async consume(key) {
      const result = await grants.consume(key)
      if (!result) return { outcome: 'not-found' }
      return { outcome: result.won ? 'consumed' : 'already-consumed', record: result.record }
    },
    async getAll(filter) {
      return grants.list(filterPairs(filter))
    },
    async removeAll(filter) {
      return grants.removeAll(filterPairs(filter))
    },
    remove: (key) => grants.remove(key),
    purgeExpired: (options) => grants.purge(options),
  }
}
