import type { KeyRecord } from '../../core/models/key.ts'
import type { KeyStore } from '../../core/stores/keys.ts'
import { compareCodePoints } from '../../core/stores/order.ts'
import type { RedisConnection } from './connection.ts'
import type { Keyspace } from './keyspace.ts'

/**
 * Key records as JSON in one hash, their versions in a second, both under the `{keys}` tag.
 * KEYS[1] records, KEYS[2] versions; ARGV[1] id, ARGV[2] JSON, ARGV[3] version.
 */
const add = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1`

/** Compare-and-set: writes only when the stored version is ARGV[4]. */
const update = `
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[4] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1`

const remove = `
redis.call('HDEL', KEYS[2], ARGV[1])
return redis.call('HDEL', KEYS[1], ARGV[1])`

export function redisKeyStore(connection: RedisConnection, keyspace: Keyspace): KeyStore {
  const keys = [`${keyspace.keys}records`, `${keyspace.keys}versions`]
  const addScript = connection.script('portico_key_add', 2, add)
  const updateScript = connection.script('portico_key_update', 2, update)
  const removeScript = connection.script('portico_key_remove', 2, remove)
  return {
    async list() {
      const values = await connection.run((client) => client.hvals(keys[0]!))
      return values
        .map((json) => JSON.parse(json) as KeyRecord)
        .sort((a, b) => a.createdAt - b.createdAt || compareCodePoints(a.id, b.id))
    },
    async add(record) {
      return (await addScript(keys, [record.id, JSON.stringify(record), String(record.version)])) === 1
    },
    async update(record, expectedVersion) {
      const args = [record.id, JSON.stringify(record), String(record.version), String(expectedVersion)]
      return (await updateScript(keys, args)) === 1
    },
    async remove(id) {
      return (await removeScript(keys, [id])) === 1
    },
  }
}
