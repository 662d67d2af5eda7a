/**
 * State every memory store shares: whether the instance is still open, and the clock that
 * decides expiry. Values are deep-copied at the boundary so callers never alias stored state.
 */
import type { Clock } from '../../core/clock.ts'
import { StoreUnavailableError } from '../../core/stores/errors.ts'

export class MemoryLifecycle {
  #closed = false

  constructor(readonly clock: Clock) {}

  /** Rejects calls after `close()`, as a networked store would after its pool ends. */
  assertOpen(): void {
    if (this.#closed) throw new StoreUnavailableError('memory', { cause: new Error('instance is closed') })
  }

  /** True when `expiresAt` is at or before now: such a record no longer exists. */
  isExpired(record: { expiresAt: number }): boolean {
    return record.expiresAt <= this.clock.now()
  }

  close(): void {
    this.#closed = true
  }
}

/** A deep copy, so a caller mutating what it passed in or got back never changes the store. */
export function copy<T>(value: T): T {
  return structuredClone(value)
}

export function assertBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`purgeExpired: batchSize must be a positive integer, got ${batchSize}`)
  }
}

/** Deletes entries with `expiresAt <= before`, `batchSize` per pass; returns how many. */
export function purgeMap<K, V extends { expiresAt: number }>(
  map: Map<K, V>,
  before: number,
  batchSize: number,
  onDelete?: (key: K, value: V) => void,
): number {
  assertBatchSize(batchSize)
  let removed = 0
  for (;;) {
    const batch: [K, V][] = []
    for (const entry of map) {
      if (entry[1].expiresAt <= before) batch.push(entry)
      if (batch.length === batchSize) break
    }
    for (const [key, value] of batch) {
      map.delete(key)
      onDelete?.(key, value)
    }
    removed += batch.length
    if (batch.length < batchSize) return removed
  }
}
