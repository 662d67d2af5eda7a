import type { ReplayCache } from '../../core/stores/operational.ts'
import type { RedisConnection } from './connection.ts'
import type { Keyspace } from './keyspace.ts'

/**
 * SET NX with a TTL, made clock-aware: an entry Redis still holds but whose `expiresAt` (the
 * value) is past by the context clock is free again, which a bare SET NX could not tell.
 * KEYS[1] entry; ARGV[1] now, ARGV[2] expiresAt. 1 when the id was new and is now recorded.
 */
const addIfAbsent = `
local now, expiresAt = tonumber(ARGV[1]), tonumber(ARGV[2])
local held = redis.call('GET', KEYS[1])
if held and tonumber(held) > now then return 0 end
if expiresAt <= now then
  redis.call('DEL', KEYS[1])
  return 1
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', string.format('%d', expiresAt - now))
return 1`

/** Each id is one key with a native TTL, so Redis itself forgets expired ids. */
export function redisReplayCache(
  connection: RedisConnection,
  keyspace: Keyspace,
  now: () => number,
): ReplayCache {
  const add = connection.script('portico_replay_add', 1, addIfAbsent)
  return {
    async addIfAbsent(id, expiresAt) {
      return (await add([keyspace.replay(id)], [now(), expiresAt])) === 1
    },
    // Nothing to sweep: every entry carries its own TTL, and no index lists them.
    async purgeExpired({ batchSize }) {
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        throw new RangeError(`purgeExpired: batchSize must be a positive integer, got ${batchSize}`)
      }
      return 0
    },
  }
}
