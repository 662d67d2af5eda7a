import { eq, sql } from 'drizzle-orm'
import type { User } from '../../../core/models/user.ts'
import type { UserStore } from '../../../core/stores/configuration.ts'
import type { SqlContext } from '../context.ts'
import type { UserRow } from '../schema.ts'

/** Usernames are unique and found case-insensitively, through this form's unique index. */
export function normalizeUsername(username: string): string {
  return username.toLowerCase()
}

export function userStore({ db, tables: { users }, byCodePoint }: SqlContext): UserStore {
  return {
    async findBySubjectId(subjectId) {
      const [row] = await db.select().from(users).where(eq(users.subjectId, subjectId))
      return row && toUser(row)
    },
    async findByUsername(username) {
      const [row] = await db
        .select()
        .from(users)
        .where(eq(users.normalizedUsername, normalizeUsername(username)))
      return row && toUser(row)
    },
    async list() {
      const rows = await db.select().from(users).orderBy(sql`${users.subjectId}${byCodePoint}`)
      return rows.map(toUser)
    },
    async upsert(user) {
      // Another subject holding the username violates the unique index: StoreConflictError.
      const row = toRow(user)
      const { subjectId: _, ...set } = row
      await db.insert(users).values(row).onConflictDoUpdate({ target: users.subjectId, set })
    },
    async setLockout(subjectId, lockout) {
      const updated = await db
        .update(users)
        .set({ failedCount: lockout.failedCount, lockedUntil: lockout.lockedUntil ?? null })
        .where(eq(users.subjectId, subjectId))
        .returning({ subjectId: users.subjectId })
      return updated.length > 0
    },
    async remove(subjectId) {
      const removed = await db
        .delete(users)
        .where(eq(users.subjectId, subjectId))
        .returning({ subjectId: users.subjectId })
      return removed.length > 0
    },
  }
}

function toRow(user: User): UserRow {
  return {
    subjectId: user.subjectId,
    username: user.username,
    normalizedUsername: normalizeUsername(user.username),
    passwordHash: user.passwordHash ?? null,
    claims: user.claims,
    enabled: user.enabled,
    failedCount: user.lockout.failedCount,
    lockedUntil: user.lockout.lockedUntil ?? null,
  }
}

function toUser(row: UserRow): User {
  const user: User = {
    subjectId: row.subjectId,
    username: row.username,
    claims: row.claims,
    enabled: row.enabled,
    lockout:
      row.lockedUntil === null
        ? { failedCount: row.failedCount }
        : { failedCount: row.failedCount, lockedUntil: row.lockedUntil },
  }
  if (row.passwordHash !== null) user.passwordHash = row.passwordHash
  return user
}
