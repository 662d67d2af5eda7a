import type { UserSession } from '../../core/models/grant.ts'
import { StoreConflictError } from '../../core/stores/errors.ts'
import type { UserSessionStore } from '../../core/stores/operational.ts'
import { compareCodePoints } from '../../core/stores/order.ts'
import { Collection } from './collection.ts'
import type { RedisConnection } from './connection.ts'
import type { Keyspace } from './keyspace.ts'

export function redisSessionStore(
  connection: RedisConnection,
  keyspace: Keyspace,
  now: () => number,
): UserSessionStore {
  const sessions = new Collection<UserSession>(
    connection,
    {
      name: 'session',
      indexes: ['subjectId', 'sessionId'],
      numeric: ['createdAt', 'renewedAt', 'expiresAt'],
    },
    now,
    (key) => keyspace.bucketOf(key),
    () => keyspace.allBuckets(),
  )
  return {
    async create(session) {
      if ((await sessions.create(session.key, session)) !== 'ok') {
        throw new StoreConflictError('session key already exists')
      }
    },
    get: (key) => sessions.get(key),
    async findBySessionId(sessionId) {
      // Sessions are bucketed by key, so the sid index is a sorted set in each bucket.
      const [found] = await sessions.list([['sessionId', sessionId]])
      return found
    },
    async touch(key, renewal) {
      const { renewedAt, expiresAt, data } = renewal
      return sessions.update(
        key,
        data === undefined ? { renewedAt, expiresAt } : { renewedAt, expiresAt, data },
      )
    },
    remove: (key) => sessions.remove(key),
    async listBySubject(subjectId) {
      const found = await sessions.list([['subjectId', subjectId]])
      return found.sort((a, b) => a.createdAt - b.createdAt || compareCodePoints(a.key, b.key))
    },
    removeBySubject: (subjectId) => sessions.removeAll([['subjectId', subjectId]]),
    purgeExpired: (options) => sessions.purge(options),
  }
}
