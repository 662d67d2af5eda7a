import { and, eq, gt, isNull, type SQL, sql } from 'drizzle-orm'
import type { GrantFilter, PersistedGrant } from '../../../core/models/grant.ts'
import { checkExpiresAt } from '../../../core/stores/expiry.ts'
import type { PersistedGrantStore } from '../../../core/stores/operational.ts'
import type { SqlContext } from '../context.ts'
import { preparedOnUse } from '../dialect.ts'
import { purgeExpired } from '../purge.ts'
import { present } from '../rows.ts'
import type { GrantRow, SqlTables } from '../schema.ts'

export function grantStore(context: SqlContext): PersistedGrantStore {
  const { db, preparedDb, clock } = context
  const { grants } = context.tables
  const unexpired = () => gt(grants.expiresAt, clock.now())
  // Every introspection of a reference token and every code exchange: built once.
  const byKey = preparedOnUse(() =>
    preparedDb
      .select()
      .from(grants)
      .where(and(eq(grants.key, sql.placeholder('key')), gt(grants.expiresAt, sql.placeholder('now'))))
      .prepare('grants_get'),
  )
  // One statement: of concurrent consumers, exactly one matches `consumed_at IS NULL`.
  const consumeByKey = preparedOnUse(() =>
    preparedDb
      .update(grants)
      .set({ consumedAt: sql.placeholder('now') })
      .where(
        and(
          eq(grants.key, sql.placeholder('key')),
          isNull(grants.consumedAt),
          gt(grants.expiresAt, sql.placeholder('now')),
        ),
      )
      .returning()
      .prepare('grants_consume'),
  )

  return {
    async store(grant) {
      checkExpiresAt('grants.store', grant.expiresAt)
      const row = toRow(grant)
      const { key: _, ...set } = row
      await db.insert(grants).values(row).onConflictDoUpdate({ target: grants.key, set })
    },
    async get(key) {
      const [row] = await byKey.execute({ key, now: clock.now() })
      return row && present(row)
    },
    async consume(key) {
      const now = clock.now()
      const [won] = await consumeByKey.execute({ key, now })
      if (won) return { outcome: 'consumed', record: present(won) }
      const [lost] = await byKey.execute({ key, now })
      return lost ? { outcome: 'already-consumed', record: present(lost) } : { outcome: 'not-found' }
    },
    async getAll(filter) {
      const rows = await db
        .select()
        .from(grants)
        .where(and(matching(grants, filter), unexpired()))
      return rows.map((row) => present(row))
    },
    async removeAll(filter) {
      const removed = await db.delete(grants).where(matching(grants, filter)).returning({ key: grants.key })
      return removed.length
    },
    async remove(key) {
      const removed = await db.delete(grants).where(eq(grants.key, key)).returning({ key: grants.key })
      return removed.length > 0
    },
    purgeExpired: (options) => purgeExpired(context, grants, grants.key, options),
  }
}

/** Every given field of the filter; an empty filter would match every grant, so it is refused. */
function matching(grants: SqlTables['grants'], filter: GrantFilter): SQL {
  const conditions = (['subjectId', 'clientId', 'sessionId', 'type'] as const)
    .filter((field) => filter[field] !== undefined)
    .map((field) => eq(grants[field], filter[field]))
  if (conditions.length === 0) throw new TypeError('a grant filter needs at least one field')
  return and(...conditions)!
}

function toRow(grant: PersistedGrant): GrantRow {
  return {
    key: grant.key,
    type: grant.type,
    subjectId: grant.subjectId ?? null,
    sessionId: grant.sessionId ?? null,
    clientId: grant.clientId,
    description: grant.description ?? null,
    createdAt: grant.createdAt,
    expiresAt: grant.expiresAt,
    consumedAt: grant.consumedAt ?? null,
    data: grant.data,
  }
}
