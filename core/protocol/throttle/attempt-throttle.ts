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
 *   without taking an attempt (no store call on the hot path); if it fails, it takes its
 *   attempt then (or an attempt arriving meanwhile takes it for it), and the key is marked;
 * - a marked key, or one with an attempt in flight here, must take an attempt *before* the
 *   comparison; when none is left, the answer is a refusal until the window ends;
 * - a success clears the key's mark (the caller proved it holds the credential).
 * Per window and key, the credentials compared are therefore at most `limit` on one instance,
 * and at most `limit + N - 1` across N instances sharing the store (another instance's first,
 * fresh attempt may come after the last attempt is taken), plus one after each genuine success.
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
  /** A fresh attempt in flight that has taken nothing yet: the next arrival takes one for it. */
  unpaid?: { paid: boolean } | undefined
  /** An overflow mark stands for several keys: a success cannot clear it. */
  shared: boolean
}

export interface AttemptThrottleOptions {
  bounds?: TableBounds | undefined
  /**
   * Whether attempts in flight together must each take an attempt before their check (the
   * default: exactly `limit` answers per key, however many race). Off for keys that many
   * honest callers share, such as a client address behind a NAT: there overlapping correct
   * logins would use up the key's budget, since a taken attempt is never given back. Off, a key
   * that has not failed on this instance is checked at once and pays only when it fails, so a
   * race may get at most the attempts in flight on each instance beyond the limit.
   */
  exactUnderConcurrency?: boolean | undefined
}

export class AttemptThrottle {
  private readonly marks: WindowTable<Mark>
  private readonly exact: boolean

  constructor(
    readonly counter: AttemptCounter,
    private readonly clock: Clock,
    options: AttemptThrottleOptions | TableBounds = {},
  ) {
    const { bounds, exactUnderConcurrency } =
      'bounds' in options || 'exactUnderConcurrency' in options
        ? (options as AttemptThrottleOptions)
        : { bounds: options as TableBounds, exactUnderConcurrency: true }
    this.exact = exactUnderConcurrency ?? true
    this.marks = new WindowTable((shared) => ({ inFlight: 0, failed: shared, shared }), bounds)
  }

  /**
   * Reserves an attempt for `target` before a credential is compared (an asynchronous check,
   * e.g. a password hash). Settle an admitted attempt with `succeeded()` or `failed()`.
   */
  reserve(target: AttemptTarget): Reservation | Promise<Reservation> {
    const window = this.window()
    const known = this.marks.get(window, target.scope, target.key)
    const fresh = this.exact ? isFresh(known) : !known?.failed
    const mark = this.marks.upsert(window, target.scope, target.key)
    mark.inFlight++
    if (fresh) {
      const ticket = { paid: false }
      // Exact: the next arrival pays for this attempt; otherwise it pays for itself on failure.
      if (!mark.shared && this.exact) mark.unpaid = ticket
      return this.admit(target, window, mark, ticket)
    }
    // A concurrent attempt finds a fresh one in flight: it takes that one's attempt first, so
    // parallel attempts on one instance are admitted exactly `limit` times, never one more.
    const unpaid = mark.unpaid
    mark.unpaid = undefined
    const payFor = unpaid !== undefined && !unpaid.paid
    if (unpaid) unpaid.paid = true
    const take = () => this.counter.take(target.key, target.scope)
    const verdict = payFor ? then(take(), take) : take()
    const admitOrRefuse = (taken: AttemptVerdict): Reservation => {
      if (taken.allowed) return this.admit(target, window, mark, undefined)
      mark.inFlight--
      return taken
    }
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

  /** `ticket` is a fresh attempt's: it takes an attempt on failure unless another paid it. */
  private admit(
    target: AttemptTarget,
    window: number,
    mark: Mark,
    ticket: { paid: boolean } | undefined,
  ): AdmittedAttempt {
    let settled = false
    const settle = () => {
      if (settled) throw new Error('an attempt is settled once')
      settled = true
      mark.inFlight--
      if (mark.unpaid === ticket) mark.unpaid = undefined
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
        if (!ticket || ticket.paid) return allowed
        ticket.paid = true
        return this.counter.take(target.key, target.scope)
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

/** Runs `next` after `first` settles (synchronously when `first` is not a promise). */
function then<T>(first: T | Promise<unknown>, next: () => T | Promise<T>): T | Promise<T> {
  return first instanceof Promise ? first.then(next) : next()
}

function isFresh(mark: Mark | undefined): boolean {
  return mark === undefined || (!mark.failed && mark.inFlight === 0)
}
