/**
 * Brute-force protection for client authentication: after a few consecutive failures for one
 * client (from one address) further attempts are refused for a delay that doubles with each
 * failure, without checking the credential. Kept in memory per instance, which bounds the
 * guessing rate per instance; secrets are high-entropy, so this is a second line of defence.
 * Keying by client and address keeps an attacker from locking a client out everywhere.
 */
import type { Clock } from '../clock.ts'

export interface ClientAuthenticationThrottleOptions {
  clock: Clock
  /** Failures allowed before any delay (default 5). */
  freeAttempts?: number
  /** The first delay; each further failure doubles it (default 1 s). */
  baseDelayMs?: number
  /** The longest delay (default 5 minutes). */
  maxDelayMs?: number
  /** Failures older than this are forgotten (default 15 minutes). */
  windowMs?: number
  /** Keys tracked at most; the oldest are dropped first (default 10 000). */
  maxEntries?: number
}

interface Failures {
  count: number
  lastAt: number
  blockedUntil: number
}

export class ClientAuthenticationThrottle {
  private readonly failures = new Map<string, Failures>()
  private readonly clock: Clock
  private readonly freeAttempts: number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number
  private readonly windowMs: number
  private readonly maxEntries: number

  constructor(options: ClientAuthenticationThrottleOptions) {
    this.clock = options.clock
    this.freeAttempts = options.freeAttempts ?? 5
    this.baseDelayMs = options.baseDelayMs ?? 1000
    this.maxDelayMs = options.maxDelayMs ?? 300_000
    this.windowMs = options.windowMs ?? 900_000
    this.maxEntries = options.maxEntries ?? 10_000
  }

  /** Whether any failure is on record: when none is, nothing needs a key (the hot path). */
  get tracking(): boolean {
    return this.failures.size > 0
  }

  /** Seconds to wait before `key` may try again, or 0 when it may try now. */
  retryAfter(key: string): number {
    if (this.failures.size === 0) return 0
    const entry = this.failures.get(key)
    if (!entry) return 0
    const now = this.clock.now()
    return entry.blockedUntil > now ? Math.ceil((entry.blockedUntil - now) / 1000) : 0
  }

  recordFailure(key: string): void {
    const now = this.clock.now()
    const previous = this.failures.get(key)
    const count = previous && now - previous.lastAt < this.windowMs ? previous.count + 1 : 1
    const over = count - this.freeAttempts
    const delay = over >= 0 ? Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(over, 30)) : 0
    this.failures.delete(key)
    this.failures.set(key, { count, lastAt: now, blockedUntil: now + delay })
    if (this.failures.size > this.maxEntries) {
      const oldest = this.failures.keys().next().value
      if (oldest !== undefined) this.failures.delete(oldest)
    }
  }

  recordSuccess(key: string): void {
    if (this.failures.size > 0) this.failures.delete(key)
  }
}
