import { and, asc, eq, sql } from 'drizzle-orm'
import type { KeyRecord, KeyUse } from '../../core/models/key.ts'
import type { KeyStore } from '../../core/stores/keys.ts'
import type { SqlContext } from './context.ts'
import type { KeyRow } from './schema.ts'

/** Key ring storage; writes are compare-and-set on `version`, so racing instances agree. */
export function keyStore({ db, tables: { keys }, byCodePoint }: SqlContext): KeyStore {
  return {
    async list() {
      const rows = await db.select().from(keys).orderBy(asc(keys.createdAt), sql`${keys.id}${byCodePoint}`)
      return rows.map(toRecord)
    },
    async add(record) {
      const added = await db
        .insert(keys)
        .values(record)
        .onConflictDoNothing({ target: keys.id })
        .returning({ id: keys.id })
      return added.length > 0
    },
    async update(record, expectedVersion) {
      const { id, ...set } = record
      const updated = await db
        .update(keys)
        .set(set)
        .where(and(eq(keys.id, id), eq(keys.version, expectedVersion)))
        .returning({ id: keys.id })
      return updated.length > 0
    },
    async remove(id) {
      const removed = await db.delete(keys).where(eq(keys.id, id)).returning({ id: keys.id })
      return removed.length > 0
    },
  }
}

function toRecord(row: KeyRow): KeyRecord {
  return { ...row, use: row.use as KeyUse }
}
