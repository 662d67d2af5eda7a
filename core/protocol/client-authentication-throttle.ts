/**
 * Brute-force protection of client authentication: shared secrets (`client_secret_basic`,
 * `client_secret_post`) are compared under an `AttemptThrottle`, keyed by client and client
 * address, so a guesser cannot lock a client out for its other callers. A `private_key_jwt`
 * assertion is a signature checked against a registered public key: there is nothing to guess,
 * and its replay is refused by its `jti`.
 */
import type { Clock } from '../clock.ts'
import type { ReplayCache } from '../stores/operational.ts'
import type { AttemptRule } from './throttle/attempt-counter.ts'
import { type AttemptTarget, AttemptThrottle } from './throttle/attempt-throttle.ts'
import { MemoryAttemptCounter } from './throttle/memory-attempt-counter.ts'
import { ReplayCacheAttemptCounter } from './throttle/replay-cache-attempt-counter.ts'

/** `memory`: per instance; `operational`: in the operational store's replay cache, across instances. */
export type ThrottleStore = 'memory' | 'operational'

/**
 * 5 attempts per client and address per 5 minutes: the free attempts of the throttle this
 * replaces, and its longest delay as the window. Shared secrets are high-entropy, so this is
 * defence in depth; a client that has fixed its secret waits at most one window.
 */
export const clientAuthenticationRule: AttemptRule = { limit: 5, windowSeconds: 300 }

export interface ClientAuthenticationThrottleOptions {
  store: ThrottleStore
  replay: ReplayCache
  clock: Clock
  rule?: AttemptRule | undefined
}

export function clientAuthenticationThrottle(options: ClientAuthenticationThrottleOptions): AttemptThrottle {
  const { replay, clock } = options
  const rule = options.rule ?? clientAuthenticationRule
  const counter =
    options.store === 'operational'
      ? new ReplayCacheAttemptCounter({ replay, rule, clock, name: 'client' })
      : new MemoryAttemptCounter(rule, clock)
  return new AttemptThrottle(counter, clock)
}

/** Attempts are counted per client and peer address; the address pays for the memory. */
export function clientAttempt(clientId: string, remoteAddress: string | undefined): AttemptTarget {
  const address = remoteAddress ?? ''
  return { key: `${clientId}|${address}`, scope: address }
}
