import type { ReplayCache } from '../../core/stores/operational.ts'
import { Collection } from './collection.ts'
import type { RedisConnection } from './connection.ts'
import type { Keyspace } from './keyspace.ts'

/**
 * Each id is a tiny record with a native TTL (so Redis forgets it by itself) in the same
 * bucketed collection shape as grants. A bare `SET NX PXAT` would be one command too, but
 * could neither free an id whose `expiresAt` has passed by the context clock while Redis still
 * holds it, nor let `purgeExpired` count what it removes; the create script does both, still
 * atomically and in one round trip.
 */
export function redisReplayCache(
  connection: RedisConnection,
  keyspace: Keyspace,
  now: () => number,
): ReplayCache {
  const seen = new Collection<{ expiresAt: number }>(
    connection,
    { name: 'replay', indexes: [], numeric: ['expiresAt'] },
    now,
    (id) => keyspace.bucketOf(id),
    () => keyspace.allBuckets(),
  )
  return {
    async addIfAbsent(id, expiresAt) {
      return (await seen.create(id, { expiresAt })) === 'ok'
    },
    purgeExpired: (options) => seen.purge(options),
  }
}
