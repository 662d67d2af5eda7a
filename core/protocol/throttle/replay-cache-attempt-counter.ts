/**
 * Attempts counted in the operational store's replay cache, so the limit holds across every
 * instance sharing it, with no change to the store contract: a key has `limit` attempt slots per
 * window, `throttle:<name>:<digest of key>:<window>:<i>`, and taking an attempt is the first
 * `addIfAbsent` that succeeds (atomic on every plugin, as the conformance kit checks). Each
 * allowed attempt is one slot some call won, so N concurrent takers, on any number of
 * instances, are allowed at most `limit` times per window. Slots expire with their window.
 */
import { hash } from 'node:crypto'
import type { Clock } from '../../clock.ts'
import type { ReplayCache } from '../../stores/operational.ts'
import {
  type AttemptCounter,
  type AttemptRule,
  type AttemptVerdict,
  allowed,
  refusedUntilWindowEnds,
  windowOf,
} from './attempt-counter.ts'
import { type TableBounds, WindowTable } from './window-table.ts'

export interface ReplayCacheAttemptCounterOptions {
  replay: ReplayCache
  rule: AttemptRule
  clock: Clock
  /** Names the counter in slot ids, so two throttles never share slots (e.g. `client`, `login-account`). */
  name: string
  bounds?: TableBounds
}

export class ReplayCacheAttemptCounter implements AttemptCounter {
  readonly rule: AttemptRule
  /**
   * Slots this instance has seen taken: probing resumes after them, so a blocked key costs
   * each instance at most `limit` store calls per window, not `limit` per attempt. An overflow
   * entry stands for several keys and gives no hint.
   */
  private readonly seen: WindowTable<{ next: number; shared: boolean }>

  constructor(private readonly options: ReplayCacheAttemptCounterOptions) {
    this.rule = options.rule
    this.seen = new WindowTable((shared) => ({ next: 0, shared }), options.bounds)
  }

  async take(key: string, scope: string): Promise<AttemptVerdict> {
    const { replay, clock, name } = this.options
    const now = clock.now()
    const window = windowOf(this.rule, now)
    const expiresAt = (window + 1) * this.rule.windowSeconds * 1000
    const seen = this.seen.upsert(window, scope, key)
    // A digest: client ids and user names are attacker-chosen (any length, any character).
    const id = `throttle:${name}:${hash('sha256', key, 'base64url')}:${window}:`
    let slot = seen.shared ? 0 : seen.next
    while (slot < this.rule.limit) {
      const won = await replay.addIfAbsent(`${id}${slot}`, expiresAt)
      if (won) {
        if (!seen.shared) seen.next = Math.max(seen.next, slot + 1)
        return allowed
      }
      // Concurrent takes on this instance share what they learn: skip slots another saw taken.
      if (seen.shared) slot++
      else slot = seen.next = Math.max(seen.next, slot + 1)
    }
    return refusedUntilWindowEnds(this.rule, clock.now())
  }
}
