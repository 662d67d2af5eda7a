/**
 * Assertions that name the guarantee they check. They use the runner's own `expect`, so its
 * diff is kept, and put the broken guarantee on the first line of the failure.
 */
import type { ConformanceRunner } from './types.ts'

export class Verify {
  constructor(private readonly runner: ConformanceRunner) {}

  /** Deep equality; properties holding `undefined` count as absent. */
  equal(actual: unknown, expected: unknown, guarantee: string): void {
    this.#guard(guarantee, () => this.runner.expect(actual).toEqual(expected))
  }

  /** Strict (`Object.is`) equality. */
  same(actual: unknown, expected: unknown, guarantee: string): void {
    this.#guard(guarantee, () => this.runner.expect(actual).toBe(expected))
  }

  /** An optional field that was never set must come back missing or `undefined`, never `null`. */
  absent(actual: unknown, guarantee: string): void {
    this.#guard(guarantee, () => this.runner.expect(actual).toBeUndefined())
  }

  /** The call must reject; with `code`, with an error carrying that `code` (e.g. `ERR_STORE_CONFLICT`). */
  async rejects(call: () => Promise<unknown>, guarantee: string, code?: string): Promise<void> {
    let settled: { error: unknown } | undefined
    try {
      await call()
    } catch (error) {
      settled = { error }
    }
    if (!settled) throw new Error(`${guarantee}\nexpected the call to reject, but it resolved`)
    const actual = (settled.error as { code?: unknown } | null)?.code
    if (code !== undefined && actual !== code) {
      throw new Error(
        `${guarantee}\nexpected an error with code ${code}, got ${describeError(settled.error)}`,
        {
          cause: settled.error,
        },
      )
    }
  }

  #guard(guarantee: string, assertion: () => void): void {
    try {
      assertion()
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      throw new Error(`${guarantee}\n${detail}`, { cause: error })
    }
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return `${error.name}${code === undefined ? '' : ` (code ${String(code)})`}: ${error.message}`
  }
  return String(error)
}

/** The stable `code`s of the contract's errors (see core/stores/errors.ts). */
export const errorCodes = {
  conflict: 'ERR_STORE_CONFLICT',
  unavailable: 'ERR_STORE_UNAVAILABLE',
  expiryOutOfRange: 'ERR_STORE_EXPIRY_OUT_OF_RANGE',
} as const
