import { lte, sql } from 'drizzle-orm'
import { checkExpiresAt } from '../../../core/stores/expiry.ts'
import type { ReplayCache } from '../../../core/stores/operational.ts'
import type { SqlContext } from '../context.ts'
import { purgeExpired } from '../purge.ts'

export function replayCache(context: SqlContext): ReplayCache {
  const { db, clock } = context
  const { replay } = context.tables

  return {
    async addIfAbsent(id, expiresAt) {
      checkExpiresAt('replay.addIfAbsent', expiresAt)
      // One statement: a new id is inserted, an expired one taken over, a live one left alone
      // (and then no row comes back).
      const added = await db
        .insert(replay)
        .values({ id, expiresAt })
        .onConflictDoUpdate({
          target: replay.id,
          set: { expiresAt: sql`excluded.expires_at` },
          setWhere: lte(replay.expiresAt, clock.now()),
        })
        .returning({ id: replay.id })
      return added.length > 0
    },
    purgeExpired: (options) => purgeExpired(context, replay, replay.id, options),
  }
}
