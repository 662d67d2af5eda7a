import { noLockout, type User, type UserLockout } from '../../core/models/user.ts'
import type { UserStore } from '../../core/stores/configuration.ts'
import { StoreConflictError } from '../../core/stores/errors.ts'
import { compareCodePoints } from '../../core/stores/order.ts'
import type { RedisConnection } from './connection.ts'
import type { Keyspace } from './keyspace.ts'

/**
 * Four hashes under the `{config}` tag: users (subjectId → JSON), lockout (subjectId → JSON,
 * kept apart so `setLockout` never rewrites the profile), name (normalized username →
 * subjectId) and name-of (subjectId → normalized username, to free the old name on rename).
 */
const upsert = `
local holder = redis.call('HGET', KEYS[3], ARGV[4])
if holder and holder ~= ARGV[1] then return 0 end
local previous = redis.call('HGET', KEYS[4], ARGV[1])
if previous then redis.call('HDEL', KEYS[3], previous) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[4], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[4])
return 1`

const setLockout = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1`

const remove = `
local name = redis.call('HGET', KEYS[4], ARGV[1])
if name then redis.call('HDEL', KEYS[3], name) end
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return redis.call('HDEL', KEYS[1], ARGV[1])`

/** The user ARGV[1] (or, with ARGV[2] = 'name', the holder of that username): {user, lockout}. */
const find = `
local subject = ARGV[1]
if ARGV[2] == 'name' then subject = redis.call('HGET', KEYS[3], ARGV[1]) end
if not subject then return false end
local user = redis.call('HGET', KEYS[1], subject)
if not user then return false end
return {user, redis.call('HGET', KEYS[2], subject)}`

/** Every profile and every lockout record, read together so a listing is one snapshot. */
const all = `return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}`

/** Usernames are unique and found case-insensitively (`Alice` finds `alice`), as in the memory store. */
export function normalizeUsername(username: string): string {
  return username.toLowerCase()
}

export function redisUserStore(connection: RedisConnection, keyspace: Keyspace): UserStore {
  const keys = ['users', 'users:lockout', 'users:name', 'users:name-of'].map((name) => keyspace.config + name)
  const upsertScript = connection.script('portico_user_upsert', 4, upsert)
  const lockoutScript = connection.script('portico_user_lockout', 4, setLockout)
  const removeScript = connection.script('portico_user_remove', 4, remove)
  const findScript = connection.script('portico_user_find', 4, find)
  const allScript = connection.script('portico_user_all', 4, all)

  async function lookup(value: string, by: 'subject' | 'name'): Promise<User | undefined> {
    const reply = (await findScript(keys, [value, by])) as [string, string | null] | null
    if (!reply) return undefined
    const user = JSON.parse(reply[0]) as User
    user.lockout = reply[1] === null ? { ...noLockout } : (JSON.parse(reply[1]) as UserLockout)
    return user
  }

  return {
    findBySubjectId: (subjectId) => lookup(subjectId, 'subject'),
    findByUsername: (username) => lookup(normalizeUsername(username), 'name'),
    async list() {
      const [profiles, lockouts] = (await allScript(keys, [])) as [string[], string[]]
      const lockoutOf = new Map<string, string>()
      for (let i = 0; i < lockouts.length; i += 2) lockoutOf.set(lockouts[i]!, lockouts[i + 1]!)
      const users: User[] = []
      for (let i = 0; i < profiles.length; i += 2) {
        const user = JSON.parse(profiles[i + 1]!) as User
        const lockout = lockoutOf.get(profiles[i]!)
        user.lockout = lockout === undefined ? { ...noLockout } : (JSON.parse(lockout) as UserLockout)
        users.push(user)
      }
      return users.sort((a, b) => compareCodePoints(a.subjectId, b.subjectId))
    },
    async upsert(user) {
      const { lockout, ...profile } = user
      const args = [
        user.subjectId,
        JSON.stringify(profile),
        JSON.stringify(lockout),
        normalizeUsername(user.username),
      ]
      if ((await upsertScript(keys, args)) !== 1)
        throw new StoreConflictError('username is taken by another user')
    },
    async setLockout(subjectId, lockout) {
      return (await lockoutScript(keys, [subjectId, JSON.stringify(lockout)])) === 1
    },
    async remove(subjectId) {
      return (await removeScript(keys, [subjectId])) === 1
    },
  }
}
