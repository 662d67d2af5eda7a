/**
 * Counting attempts in fixed windows, the part of the throttle that can be shared between
 * instances. A counter only ever takes attempts: once taken, an attempt is not given back
 * (the replay cache it may live in has no delete), so the throttle decides which attempts
 * need one at all (see attempt-throttle.ts).
 */
export interface AttemptRule {
  /** Attempts a key may take per window. */
  limit: number
  /** The window's length; windows are aligned on the epoch, so every instance agrees on them. */
  windowSeconds: number
}

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number }

export interface AttemptCounter {
  readonly rule: AttemptRule
  /**
   * Takes one of `key`'s attempts in the current window, atomically: of N concurrent calls at
   * most the attempts left are allowed. `scope` is who pays for any memory the key costs (the
   * client address, or the account itself for per-account keys).
   */
  take(key: string, scope: string): AttemptVerdict | Promise<AttemptVerdict>
}

export const allowed: AttemptVerdict = Object.freeze({ allowed: true })

/** The window `now` falls in. */
export function windowOf(rule: AttemptRule, now: number): number {
  return Math.floor(now / (rule.windowSeconds * 1000))
}

/** A refusal until the window ends (at least one second, as Retry-After counts whole seconds). */
export function refusedUntilWindowEnds(rule: AttemptRule, now: number): AttemptVerdict {
  const windowMs = rule.windowSeconds * 1000
  const end = (Math.floor(now / windowMs) + 1) * windowMs
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((end - now) / 1000)) }
}
