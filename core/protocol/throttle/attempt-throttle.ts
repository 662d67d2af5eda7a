/**
 * Brute-force protection with one home for client authentication and sign-in: an attempt is
 * reserved before the credential is compared, so N parallel guesses never get more answers
 * than the limit allows, and the count can live in the operational store so that the limit
 * holds across instances (docs/token-service.md, "Brute-force protection").
 *
 * A counter cannot give an attempt back (a replay-cache slot is never deleted), yet a busy
 * legitimate caller must not use up its key. So each instance keeps marks of keys it has seen
 * fail in the current window:
 * - a key with no mark and no attempt in flight here is *fresh*: its credential is compared
 *   without taking an attempt (no store call on the hot path); if it fails, an attempt is taken
 *   then, and the key is marked;
 * - a marked key, or one with an attempt in flight here, must take an attempt *before* the
 *   comparison; when none is left, the answer is a refusal until the window ends;
 * - a success clears the key's mark (the caller proved it holds the credential).
 * Per window and key, the answers an attacker gets are therefore at most `limit` (attempts
 * taken) plus one fresh attempt per instance, plus one more after each genuine success there.
 * Marks live in a bounded table in which no scope can evict another's (window-table.ts).
 */
import type { Clock } from '../../clock.ts'
import { type AttemptCounter, type AttemptVerdict, allowed, windowOf } from './attempt-counter.ts'
import { type TableBounds, WindowTable } from './window-table.ts'

/** A throttled key and the scope that pays for its memory (see `AttemptCounter.take`). */
export interface AttemptTarget {
  key: string
  scope: string
}

export type Refusal = { allowed: false; retryAfterSeconds: number }

/** An attempt that may compare its credential; report the outcome exactly once. */
export interface AdmittedAttempt {
  allowed: true
  succeeded(): void
  /** Records the failure; a refusal when the failure found no attempt left (answer with it). */
  failed(): AttemptVerdict | Promise<AttemptVerdict>
  /** The credential was never compared (another key refused, the store failed): no outcome. */
  abandoned(): void
}

export type Reservation = AdmittedAttempt | Refusal

/** What a synchronous check under the throttle gives: its result (undefined = failed) or a refusal. */
export type CheckedAttempt<T> = { allowed: true; result: T | undefined } | Refusal

interface Mark {
  inFlight: number
  failed: boolean
  /** An overflow mark stands for several keys: a success cannot clear it. */
  shared: boolean
}

export class AttemptThrottle {
  private readonly marks: WindowTable<Mark>

  constructor(
    readonly counter: AttemptCounter,
    private readonly clock: Clock,
    bounds?: TableBounds,
  ) {
    this.marks = new WindowTable((shared) => ({ inFlight: 0, failed: shared, shared }), bounds)
  }

  /**
   * Reserves an attempt for `target` before a credential is compared (an asynchronous check,
   * e.g. a password hash). Settle an admitted attempt with `succeeded()` or `failed()`.
   */
  reserve(target: AttemptTarget): Reservation | Promise<Reservation> {
    const window = this.window()
    const fresh = isFresh(this.marks.get(window, target.scope, target.key))
    const mark = this.marks.upsert(window, target.scope, target.key)
    mark.inFlight++
    if (fresh) return this.admit(target, window, mark, true)
    const admitOrRefuse = (verdict: AttemptVerdict): Reservation => {
      if (verdict.allowed) return this.admit(target, window, mark, false)
      mark.inFlight--
      return verdict
    }
    const verdict = this.counter.take(target.key, target.scope)
    if (!(verdict instanceof Promise)) return admitOrRefuse(verdict)
    return verdict.then(admitOrRefuse, (error: unknown) => {
      mark.inFlight--
      throw error
    })
  }

  /**
   * Runs a synchronous comparison under the throttle (a shared secret against its hashes).
   * Nothing can run between the decision and the comparison, so no attempt is held in flight,
   * and while this instance tracks no failure at all, `target` is not even computed (the hot
   * path costs one emptiness check). `check` returns undefined on failure.
   */
  checkSynchronously<T>(
    target: () => AttemptTarget,
    check: () => T | undefined,
  ): CheckedAttempt<T> | Promise<CheckedAttempt<T>> {
    const window = this.window()
    if (this.marks.isEmpty(window)) return this.afterFreshCheck(target, check())
    const chosen = target()
    if (isFresh(this.marks.get(window, chosen.scope, chosen.key))) {
      return this.afterFreshCheck(() => chosen, check())
    }
    const afterTake = (verdict: AttemptVerdict): CheckedAttempt<T> => {
      if (!verdict.allowed) return verdict
      const result = check()
      this.settle(chosen, result !== undefined)
      return { allowed: true, result }
    }
    const verdict = this.counter.take(chosen.key, chosen.scope)
    return verdict instanceof Promise ? verdict.then(afterTake) : afterTake(verdict)
  }

  private afterFreshCheck<T>(
    target: () => AttemptTarget,
    result: T | undefined,
  ): CheckedAttempt<T> | Promise<CheckedAttempt<T>> {
    if (result !== undefined) return { allowed: true, result }
    const failed = target()
    this.settle(failed, false)
    const verdict = this.counter.take(failed.key, failed.scope)
    const answer = (taken: AttemptVerdict): CheckedAttempt<T> =>
      taken.allowed ? { allowed: true, result: undefined } : taken
    return verdict instanceof Promise ? verdict.then(answer) : answer(verdict)
  }

  private admit(target: AttemptTarget, window: number, mark: Mark, fresh: boolean): AdmittedAttempt {
    let settled = false
    const settle = () => {
      if (settled) throw new Error('an attempt is settled once')
      settled = true
      mark.inFlight--
    }
    return {
      allowed: true,
      succeeded: () => {
        settle()
        if (!mark.shared) mark.failed = false
        if (mark.inFlight === 0 && !mark.failed) this.marks.delete(window, target.scope, target.key)
      },
      failed: () => {
        settle()
        mark.failed = true
        return fresh ? this.counter.take(target.key, target.scope) : allowed
      },
      abandoned: () => {
        settle()
        if (mark.inFlight === 0 && !mark.failed) this.marks.delete(window, target.scope, target.key)
      },
    }
  }

  /** Marks a synchronous check's outcome (nothing in flight to account for). */
  private settle(target: AttemptTarget, succeeded: boolean): void {
    const window = this.window()
    if (succeeded) {
      const mark = this.marks.get(window, target.scope, target.key)
      if (mark && !mark.shared && mark.inFlight === 0) this.marks.delete(window, target.scope, target.key)
      else if (mark && !mark.shared) mark.failed = false
      return
    }
    this.marks.upsert(window, target.scope, target.key).failed = true
  }

  private window(): number {
    return windowOf(this.counter.rule, this.clock.now())
  }
}

function isFresh(mark: Mark | undefined): boolean {
  return mark === undefined || (!mark.failed && mark.inFlight === 0)
}
