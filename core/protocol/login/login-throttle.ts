/**
 * Brute-force protection of the login form: every attempt counts against two keys, the account
 * (its lower-cased user name, whoever tries it) and the client address (whatever accounts it
 * tries), over `AttemptThrottle` (docs/token-service.md, "Brute-force protection").
 */
import type { Clock } from '../../clock.ts'
import type { ReplayCache } from '../../stores/operational.ts'
import type { AttemptCounter, AttemptRule } from '../throttle/attempt-counter.ts'
import { AttemptThrottle } from '../throttle/attempt-throttle.ts'
import { MemoryAttemptCounter } from '../throttle/memory-attempt-counter.ts'
import { ReplayCacheAttemptCounter } from '../throttle/replay-cache-attempt-counter.ts'

export interface LoginThrottleRules {
  perAccount: AttemptRule
  perAddress: AttemptRule
}

/**
 * Per account: 5 attempts per 15 minutes, ASP.NET Core Identity's `MaxFailedAccessAttempts` (5),
 * held for a 15-minute window; at most 480 guesses a day per account (plus one per instance
 * and window). Per address: 50 per 15 minutes, room for an office behind one NAT mistyping,
 * while one address cannot sweep more than 50 accounts' passwords per window.
 */
export const defaultLoginThrottleRules: LoginThrottleRules = {
  perAccount: { limit: 5, windowSeconds: 900 },
  perAddress: { limit: 50, windowSeconds: 900 },
}

export interface LoginThrottleOptions {
  clock: Clock
  rules?: LoginThrottleRules | undefined
  /** Where attempts are counted: the replay cache (shared by instances) or, without it, memory. */
  replay?: ReplayCache | undefined
  /** Names the counters, so throttles for different forms never share counts (default `login`). */
  purpose?: string | undefined
}

export type LoginReservation =
  | { allowed: false; retryAfterSeconds: number }
  | {
      allowed: true
      /** The password was right: the keys' failure marks are cleared on this instance. */
      succeeded(): void
      /** The password was wrong (or the user unknown): the failure is counted. */
      failed(): Promise<void>
      /** The check never answered (it threw): no outcome; the attempt stays counted if it was taken. */
      abandoned(): void
    }

export class LoginThrottle {
  readonly rules: LoginThrottleRules
  private readonly perAccount: AttemptThrottle
  private readonly perAddress: AttemptThrottle

  constructor(options: LoginThrottleOptions) {
    const { clock, replay } = options
    this.rules = options.rules ?? defaultLoginThrottleRules
    const counter = (name: string, rule: AttemptRule): AttemptCounter =>
      replay
        ? new ReplayCacheAttemptCounter({ replay, rule, clock, name })
        : new MemoryAttemptCounter(rule, clock)
    const purpose = options.purpose ?? 'login'
    this.perAccount = new AttemptThrottle(counter(`${purpose}-account`, this.rules.perAccount), clock)
    // Many honest people share an address (a NAT, an office): their overlapping correct logins
    // must not use up its budget, so only failures pay there. The per-account key stays exact,
    // and it is what bounds the guesses at any one password.
    this.perAddress = new AttemptThrottle(counter(`${purpose}-address`, this.rules.perAddress), clock, {
      exactUnderConcurrency: false,
    })
  }

  /** Reserve before the password is checked; settle an allowed attempt exactly once. */
  async reserve(attempt: { username: string; address?: string | undefined }): Promise<LoginReservation> {
    const address = attempt.address ?? ''
    const account = attempt.username.toLowerCase()
    // The address first: a locked address costs the accounts it tries nothing.
    const byAddress = await this.perAddress.reserve({ key: address, scope: address })
    if (!byAddress.allowed) return byAddress
    // Each account pays for its own memory: a flood of user names fills only the overflow.
    const byAccount = await Promise.resolve(this.perAccount.reserve({ key: account, scope: account })).catch(
      (error: unknown) => {
        byAddress.abandoned()
        throw error
      },
    )
    // Trying a locked account counts against the address, as a failure would.
    if (!byAccount.allowed) {
      await byAddress.failed()
      return byAccount
    }
    return {
      allowed: true,
      succeeded() {
        byAddress.succeeded()
        byAccount.succeeded()
      },
      async failed() {
        await Promise.all([byAddress.failed(), byAccount.failed()])
      },
      abandoned() {
        byAddress.abandoned()
        byAccount.abandoned()
      },
    }
  }
}
