/**
 * Portico's store conformance kit (`portico/testing`): the tests every store plugin must pass,
 * for any test runner that offers describe/test/expect (bun:test, vitest, jest).
 *
 * Every test creates its own instance on fresh options from `target.options()`, with a test
 * clock the kit moves, and closes it and calls `target.cleanup` afterwards.
 *
 * @example
 * import { describe, expect, test } from 'bun:test'
 * import { runStoreConformance } from 'portico/testing'
 * import plugin from '../src/index.ts'
 *
 * runStoreConformance({ describe, test, expect }, {
 *   plugin,
 *   options: () => ({ url: process.env.ACME_URL, prefix: `test-${crypto.randomUUID()}:` }),
 *   cleanup: (options) => dropPrefix(options),
 * })
 */
import { clientTests } from './clients.ts'
import { deviceCodeTests } from './device-codes.ts'
import { expiryTests } from './expiry.ts'
import { grantFilterTests } from './grant-filters.ts'
import { grantTests } from './grants.ts'
import { Harness } from './harness.ts'
import { identifierLengthTests } from './identifier-lengths.ts'
import { keyTests } from './keys.ts'
import { lifecycleTests } from './lifecycle.ts'
import { nativeTtlTests } from './native-ttl.ts'
import { purgeTests } from './purge.ts'
import { replayCacheTests } from './replay-cache.ts'
import { resourceTests } from './resources.ts'
import { rolesUnderTest, roleTests } from './roles.ts'
import { sessionLookupTests } from './session-lookup.ts'
import { sessionTests } from './sessions.ts'
import { sharedBackendTests } from './shared-backend.ts'
import type { ConformanceRunner, ConformanceTarget } from './types.ts'
import { userTests } from './users.ts'

export { TestClock } from './test-clock.ts'
export type { ConformanceRunner, ConformanceTarget } from './types.ts'

/** Registers the conformance tests for every role the plugin declares (or `target.roles`). */
export function runStoreConformance<O>(runner: ConformanceRunner, target: ConformanceTarget<O>): void {
  const roles = rolesUnderTest(target)
  const h = new Harness(runner, target, roles)
  runner.describe(`store conformance: ${target.plugin.name}`, () => {
    roleTests(h)
    lifecycleTests(h)
    if (roles.includes('configuration')) {
      clientTests(h)
      resourceTests(h)
      userTests(h)
    }
    if (roles.includes('operational')) {
      grantTests(h)
      grantFilterTests(h)
      deviceCodeTests(h)
      sessionTests(h)
      sessionLookupTests(h)
      replayCacheTests(h)
      expiryTests(h)
      purgeTests(h)
      if (target.plugin.capabilities.nativeTtl) nativeTtlTests(h)
    }
    if (roles.includes('keys')) keyTests(h)
    identifierLengthTests(h)
    sharedBackendTests(h)
  })
}
