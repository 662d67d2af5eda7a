/**
 * The config keys of signing users in: the credential check a `.ts` config may supply, the
 * login throttle's limits and the browser session's lifetime; and where brute-force attempts
 * are counted. Defaults are core's (docs/token-service.md, "Brute-force protection").
 */
import * as v from 'valibot'
import type { Authenticate } from '../../core/protocol/login/credential-check.ts'
import { defaultLoginThrottleRules } from '../../core/protocol/login/login-throttle.ts'
import type { AttemptRule } from '../../core/protocol/throttle/attempt-counter.ts'
import type { Profile } from '../../core/protocol/user-profile.ts'
import { flag, integer, oneOf, strict } from './rules.ts'

const day = 86_400

function attemptRule(defaults: AttemptRule) {
  return v.optional(
    strict({
      limit: v.optional(integer(1, 100_000), defaults.limit),
      windowSeconds: v.optional(integer(1, day), defaults.windowSeconds),
    }),
    { ...defaults },
  )
}

export const signInEntries = {
  /**
   * `(username, password, context) => Promise<AuthenticatedUser | null | undefined>`, in a `.ts`
   * config only: replaces the check of the configuration store's users.
   */
  authenticate: v.optional(
    v.custom<Authenticate>(
      (value) => typeof value === 'function',
      (i) => `must be a function (given ${i.received}; a .ts config can give one, JSON cannot)`,
    ),
  ),
  /**
   * `(subjectId, scopes, context) => Promise<claims | null | undefined>`, in a `.ts` config only:
   * the user's current claims from the host's own user table; null means no longer active.
   */
  profile: v.optional(
    v.custom<Profile>(
      (value) => typeof value === 'function',
      (i) => `must be a function (given ${i.received}; a .ts config can give one, JSON cannot)`,
    ),
  ),
  login: v.optional(
    strict({
      throttle: v.optional(
        strict({
          perAccount: attemptRule(defaultLoginThrottleRules.perAccount),
          perAddress: attemptRule(defaultLoginThrottleRules.perAddress),
        }),
        {},
      ),
    }),
    {},
  ),
  session: v.optional(
    strict({
      /** 10 hours, the default lifetime of IdentityServer's (Duende's) authentication cookie. */
      lifetimeSeconds: v.optional(integer(60, 366 * day), 36_000),
      /** Use renews the session once a quarter of its lifetime has passed (core/protocol/session). */
      sliding: v.optional(flag(), true),
    }),
    {},
  ),
  throttle: v.optional(
    strict({
      /**
       * Where failed client authentications are counted: `operational` (shared by instances)
       * or `memory` (per instance). Default: operational unless the operational store is memory.
       */
      store: v.optional(oneOf(['memory', 'operational'] as const)),
    }),
    {},
  ),
}
