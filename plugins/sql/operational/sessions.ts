import { and, asc, eq, gt, lte, sql } from 'drizzle-orm'
import type { UserSession } from '../../../core/models/grant.ts'
import { checkExpiresAt } from '../../../core/stores/expiry.ts'
import type { UserSessionStore } from '../../../core/stores/operational.ts'
import type { SqlContext } from '../context.ts'
import { purgeExpired } from '../purge.ts'
import { present } from '../rows.ts'
import type { SessionRow } from '../schema.ts'

export function sessionStore(context: SqlContext): UserSessionStore {
  const { db, clock } = context
  const { sessions } = context.tables
  const unexpired = () => gt(sessions.expiresAt, clock.now())

  return {
    async create(session) {
      checkExpiresAt('sessions.create', session.expiresAt)
      // An expired session no longer exists; a live one with this key is a unique violation.
      await db
        .delete(sessions)
        .where(and(eq(sessions.key, session.key), lte(sessions.expiresAt, clock.now())))
      await db.insert(sessions).values(toRow(session))
    },
    async get(key) {
      const [row] = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.key, key), unexpired()))
      return row && present(row)
    },
    async findBySessionId(sessionId) {
      const [row] = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.sessionId, sessionId), unexpired()))
        .limit(1)
      return row && present(row)
    },
    async touch(key, renewal) {
      checkExpiresAt('sessions.touch', renewal.expiresAt)
      const touched = await db
        .update(sessions)
        .set(renewal)
        .where(and(eq(sessions.key, key), unexpired()))
        .returning({ key: sessions.key })
      return touched.length > 0
    },
    async remove(key) {
      const removed = await db.delete(sessions).where(eq(sessions.key, key)).returning({ key: sessions.key })
      return removed.length > 0
    },
    async listBySubject(subjectId) {
      const rows = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.subjectId, subjectId), unexpired()))
        .orderBy(asc(sessions.createdAt), sql`${sessions.key}${context.byCodePoint}`)
      return rows.map((row) => present(row))
    },
    async removeBySubject(subjectId) {
      const removed = await db
        .delete(sessions)
        .where(eq(sessions.subjectId, subjectId))
        .returning({ key: sessions.key })
      return removed.length
    },
    purgeExpired: (options) => purgeExpired(context, sessions, sessions.key, options),
  }
}

function toRow(session: UserSession): SessionRow {
  return { ...session, displayName: session.displayName ?? null }
}
