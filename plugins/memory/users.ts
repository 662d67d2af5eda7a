import type { User } from '../../core/models/user.ts'
import type { UserStore } from '../../core/stores/configuration.ts'
import { StoreConflictError } from '../../core/stores/errors.ts'
import { compare } from './clients.ts'
import { copy, type MemoryLifecycle } from './lifecycle.ts'

/** Usernames are unique and found case-insensitively (`Alice` finds `alice`). */
export function normalizeUsername(username: string): string {
  return username.toLowerCase()
}

export function memoryUserStore(life: MemoryLifecycle): UserStore {
  const users = new Map<string, User>()
  /** Normalized username -> subjectId. */
  const byUsername = new Map<string, string>()

  return {
    async findBySubjectId(subjectId) {
      life.assertOpen()
      const user = users.get(subjectId)
      return user && copy(user)
    },
    async findByUsername(username) {
      life.assertOpen()
      const subjectId = byUsername.get(normalizeUsername(username))
      const user = subjectId === undefined ? undefined : users.get(subjectId)
      return user && copy(user)
    },
    async list() {
      life.assertOpen()
      return [...users.values()].sort((a, b) => compare(a.subjectId, b.subjectId)).map((user) => copy(user))
    },
    async upsert(user) {
      life.assertOpen()
      const name = normalizeUsername(user.username)
      const holder = byUsername.get(name)
      if (holder !== undefined && holder !== user.subjectId) {
        throw new StoreConflictError('username is taken by another user')
      }
      const previous = users.get(user.subjectId)
      if (previous) byUsername.delete(normalizeUsername(previous.username))
      users.set(user.subjectId, copy(user))
      byUsername.set(name, user.subjectId)
    },
    async setLockout(subjectId, lockout) {
      life.assertOpen()
      const user = users.get(subjectId)
      if (!user) return false
      user.lockout = copy(lockout)
      return true
    },
    async remove(subjectId) {
      life.assertOpen()
      const user = users.get(subjectId)
      if (!user) return false
      users.delete(subjectId)
      byUsername.delete(normalizeUsername(user.username))
      return true
    },
  }
}
