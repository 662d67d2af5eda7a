import type { DeviceCodeRecord } from '../../core/models/grant.ts'
import { StoreConflictError } from '../../core/stores/errors.ts'
import type { DeviceCodeStore } from '../../core/stores/operational.ts'
import { Collection, prelude } from './collection.ts'
import type { RedisConnection } from './connection.ts'
import type { Keyspace } from './keyspace.ts'

/**
 * RFC 8628 §3.3: the user decides on a pending request once. Follows the user-code pointer
 * (KEYS[1]) and, if the record is live, pending and unconsumed, clears the fields in ARGV[5]
 * and sets the pairs from ARGV[6]; 1 when it did.
 */
const decide = `${prelude}
local id = redis.call('GET', KEYS[1])
if not id then return 0 end
local h = load(recordKey(id))
if not live(h) or h.status ~= 'pending' or h.consumedAt then return 0 end
for f in string.gmatch(ARGV[5], '%S+') do redis.call('HDEL', recordKey(id), f) end
redis.call('HSET', recordKey(id), unpack(ARGV, 6))
return 1`

/** Device codes are found by device code key and by user code: one tag holds them all. */
export function redisDeviceCodeStore(
  connection: RedisConnection,
  keyspace: Keyspace,
  now: () => number,
): DeviceCodeStore {
  const records = new Collection<DeviceCodeRecord>(
    connection,
    { name: 'device', indexes: ['=userCode'], numeric: ['createdAt', 'expiresAt', 'consumedAt'] },
    now,
    () => keyspace.device,
    () => [keyspace.device],
  )
  const decideScript = connection.script('portico_device_decide', 1, decide)

  async function decideOn(userCode: string, clear: string[], set: string[]): Promise<boolean> {
    const keys = [records.pointerKey('userCode', userCode)]
    return (await decideScript(keys, [...records.preludeArgs(userCode), clear.join(' '), ...set])) === 1
  }

  return {
    async store(record) {
      const outcome = await records.create(record.deviceCodeKey, record)
      if (outcome === 'id-taken') throw new StoreConflictError('device code already exists')
      if (outcome === 'unique-taken') throw new StoreConflictError('user code is in use')
    },
    findByDeviceCode: (deviceCodeKey) => records.get(deviceCodeKey),
    findByUserCode: (userCode) => records.follow('userCode', userCode),
    authorize(userCode, { subjectId, sessionId, data }) {
      const set = ['status', 'authorized', 'subjectId', subjectId, 'data', data]
      if (sessionId === undefined) return decideOn(userCode, ['sessionId'], set)
      return decideOn(userCode, [], [...set, 'sessionId', sessionId])
    },
    deny: (userCode) => decideOn(userCode, [], ['status', 'denied']),
    async consume(deviceCodeKey) {
      const result = await records.consume(deviceCodeKey)
      if (!result) return { outcome: 'not-found' }
      return { outcome: result.won ? 'consumed' : 'already-consumed', record: result.record }
    },
    remove: (deviceCodeKey) => records.remove(deviceCodeKey),
    purgeExpired: (options) => records.purge(options),
  }
}
