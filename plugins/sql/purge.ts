import type { Column } from 'drizzle-orm'
import { lte, type SQL, sql } from 'drizzle-orm'
import type { PurgeOptions } from '../../core/stores/operational.ts'
import type { SqlContext } from './context.ts'
import type { SqlTable } from './dialect.ts'
import { withinDeadline } from './errors.ts'

/**
 * Deletes rows with `expiresAt <= before`, `batchSize` per statement, so no statement holds
 * locks for long; returns how many. Each batch is taken in expiry order, so it is read from the
 * expiry index: a sequential scan would start at the table's first page every time and pass
 * over every row the previous batches left dead, a cost that grows with the square of the
 * number of batches (docs/performance.md, Stores).
 */
export async function purgeExpired<Row extends { expiresAt: number }>(
  { db, purgeLock, purgeRowId, batchDeadline }: SqlContext,
  table: SqlTable<Row>,
  key: Column,
  { before, batchSize }: PurgeOptions,
): Promise<number> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer')
  const row = purgeRowId ?? key
  const batch: SQL = sql`select ${row} from ${table} where ${lte(table.expiresAt, before)} order by ${table.expiresAt} limit ${batchSize}${purgeLock}`
  let total = 0
  for (;;) {
    const statement = db.delete(table).where(sql`${row} in (${batch})`).returning({ key })
    const removed = await (batchDeadline
      ? withinDeadline(batchDeadline.store, Promise.resolve(statement), batchDeadline.ms)
      : statement)
    total += removed.length
    if (removed.length < batchSize) return total
  }
}
