/**
 * The conformance kit wired to bun:test (`portico/testing/bun`).
 *
 * @example
 * import { conformance } from 'portico/testing/bun'
 * import plugin from '../src/index.ts'
 *
 * conformance({ plugin, options: () => ({}) })
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { runStoreConformance } from './index.ts'
import type { ConformanceTarget } from './types.ts'

export type { ConformanceRunner, ConformanceTarget } from './types.ts'

export function conformance<O>(target: ConformanceTarget<O>): void {
  runStoreConformance({ describe, test, expect, beforeAll, afterAll }, target)
}
