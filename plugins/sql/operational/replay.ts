import { lte, sql } from 'drizzle-orm'
import { checkExpiresAt } from '../../../core/stores/expiry.ts'
import type { ReplayCache } from '../../../core/stores/operational.ts'
import type { SqlContext } from '../context.ts'
import { preparedOnUse } from '../dialect.ts'
import { purgeExpired } from '../purge.ts'

export function replayCache(context: SqlContext): ReplayCache {
  const { preparedDb, clock } = context
  const { replay } = context.tables
  // One statement, built once (every DPoP proof's and client assertion's jti, device polls, failed
  // attempts of the throttle): a new id is inserted, an expired one taken over, a live one left alone (and then no row comes
  // back).
  const add = preparedOnUse(() =>
    preparedDb
      .insert(replay)
      .values({ id: sql.placeholder('id'), expiresAt: sql.placeholder('expiresAt') })
      .onConflictDoUpdate({
        target: replay.id,
        set: { expiresAt: sql`excluded.expires_at` },
        setWhere: lte(replay.expiresAt, sql.placeholder('now')),
      })
      .returning({ id: replay.id })
      .prepare('replay_add'),
  )

  return {
    async addIfAbsent(id, expiresAt) {
      checkExpiresAt('replay.addIfAbsent', expiresAt)
      const added = await add.execute({ id, expiresAt, now: clock.now() })
      return added.length > 0
    },
    purgeExpired: (options) => purgeExpired(context, replay, replay.id, options),
  }
}
