import type { Column } from 'drizzle-orm'
import { lte, type SQL, sql } from 'drizzle-orm'
import type { PurgeOptions } from '../../core/stores/operational.ts'
import type { SqlContext } from './context.ts'
import type { SqlTable } from './dialect.ts'

/**
 * Deletes rows with `expiresAt <= before`, `batchSize` per statement, so no statement holds
 * locks for long; returns how many.
 */
export async function purgeExpired<Row extends { expiresAt: number }>(
  { db, purgeLock }: SqlContext,
  table: SqlTable<Row>,
  key: Column,
  { before, batchSize }: PurgeOptions,
): Promise<number> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer')
  const batch: SQL = sql`select ${key} from ${table} where ${lte(table.expiresAt, before)} limit ${batchSize}${purgeLock}`
  let total = 0
  for (;;) {
    const removed = await db.delete(table).where(sql`${key} in (${batch})`).returning({ key })
    total += removed.length
    if (removed.length < batchSize) return total
  }
}
