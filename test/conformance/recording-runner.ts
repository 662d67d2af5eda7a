/**
 * A ConformanceRunner that only records what the kit registers, so the kit's self-test can
 * run those tests itself and see which pass and which fail.
 */
import { expect } from 'bun:test'
import { withinMs } from './deadline.ts'
import type { ConformanceRunner } from './types.ts'

export interface RecordedTest {
  /** The describe path below the kit's top-level block, joined by ' > '. */
  name: string
  run: () => unknown | Promise<unknown>
  timeoutMs: number
}

export function recordingRunner(): { runner: ConformanceRunner; tests: RecordedTest[] } {
  const tests: RecordedTest[] = []
  const path: string[] = []
  const runner: ConformanceRunner = {
    describe(name, fn) {
      path.push(name)
      try {
        fn()
      } finally {
        path.pop()
      }
    },
    test(name, run, timeoutMs = 5_000) {
      tests.push({ name: [...path.slice(1), name].join(' > '), run, timeoutMs })
    },
    expect,
  }
  return { runner, tests }
}

/** Runs the tests one by one; maps each failing test's name to its error message. */
export async function runRecorded(tests: readonly RecordedTest[]): Promise<Map<string, string>> {
  const failures = new Map<string, string>()
  for (const test of tests) {
    try {
      await withinMs(test.timeoutMs, Promise.resolve().then(test.run), test.name)
    } catch (error) {
      failures.set(test.name, error instanceof Error ? error.message : String(error))
    }
  }
  return failures
}
