/**
 * Attempts counted in this instance's memory: exact and race-free within the process (a take
 * is synchronous), per instance across a deployment. Memory is bounded per scope (window-table.ts).
 */
import type { Clock } from '../../clock.ts'
import {
  type AttemptCounter,
  type AttemptRule,
  type AttemptVerdict,
  allowed,
  refusedUntilWindowEnds,
  windowOf,
} from './attempt-counter.ts'
import { type TableBounds, WindowTable } from './window-table.ts'

export class MemoryAttemptCounter implements AttemptCounter {
  private readonly counts: WindowTable<{ taken: number }>

  constructor(
    readonly rule: AttemptRule,
    private readonly clock: Clock,
    bounds?: TableBounds,
  ) {
    this.counts = new WindowTable(() => ({ taken: 0 }), bounds)
  }

  take(key: string, scope: string): AttemptVerdict {
    const now = this.clock.now()
    const count = this.counts.upsert(windowOf(this.rule, now), scope, key)
    if (count.taken >= this.rule.limit) return refusedUntilWindowEnds(this.rule, now)
    count.taken++
    return allowed
  }
}
