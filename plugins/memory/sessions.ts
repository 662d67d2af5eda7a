import type { UserSession } from '../../core/models/grant.ts'
import { StoreConflictError } from '../../core/stores/errors.ts'
import { checkExpiresAt } from '../../core/stores/expiry.ts'
import type { UserSessionStore } from '../../core/stores/operational.ts'
import { compare } from './clients.ts'
import { copy, type MemoryLifecycle, purgeMap } from './lifecycle.ts'

export function memorySessionStore(life: MemoryLifecycle): UserSessionStore {
  const sessions = new Map<string, UserSession>()

  function live(key: string): UserSession | undefined {
    const session = sessions.get(key)
    return session && !life.isExpired(session) ? session : undefined
  }

  return {
    async create(session) {
      life.assertOpen()
      checkExpiresAt('sessions.create', session.expiresAt)
      if (live(session.key)) throw new StoreConflictError('session key already exists')
      sessions.set(session.key, copy(session))
    },
    async get(key) {
      life.assertOpen()
      const session = live(key)
      return session && copy(session)
    },
    async findBySessionId(sessionId) {
      life.assertOpen()
      for (const session of sessions.values()) {
        if (session.sessionId === sessionId && !life.isExpired(session)) return copy(session)
      }
      return undefined
    },
    async touch(key, renewal) {
      life.assertOpen()
      checkExpiresAt('sessions.touch', renewal.expiresAt)
      const session = live(key)
      if (!session) return false
      session.renewedAt = renewal.renewedAt
      session.expiresAt = renewal.expiresAt
      if (renewal.data !== undefined) session.data = renewal.data
      return true
    },
    async remove(key) {
      life.assertOpen()
      return sessions.delete(key)
    },
    async listBySubject(subjectId) {
      life.assertOpen()
      return [...sessions.values()]
        .filter((s) => s.subjectId === subjectId && !life.isExpired(s))
        .sort((a, b) => a.createdAt - b.createdAt || compare(a.key, b.key))
        .map(copy)
    },
    async removeBySubject(subjectId) {
      life.assertOpen()
      let removed = 0
      for (const [key, session] of sessions) {
        if (session.subjectId === subjectId && sessions.delete(key)) removed++
      }
      return removed
    },
    async purgeExpired({ before, batchSize }) {
      life.assertOpen()
      return purgeMap(sessions, before, batchSize)
    },
  }
}
