/**
 * Assertions that name the guarantee they check. The runner's own `expect` gives the verdict;
 * a failure then reads in a few lines: the guarantee, what was expected, what came back (the
 * fields that differ, not a diff of whole records) and, when given, the offending input.
 */
import { type Difference, differences, show } from './differences.ts'
import type { ConformanceRunner } from './types.ts'

/** A broken guarantee. Its stack stops at the kit's test line, not in the kit's internals. */
export class ConformanceFailure extends Error {
  override name = 'ConformanceFailure'
}

export class Verify {
  constructor(private readonly runner: ConformanceRunner) {}

  /** Deep equality; properties holding `undefined` count as absent. */
  equal(actual: unknown, expected: unknown, guarantee: string, input?: unknown): void {
    if (this.#passes(() => this.runner.expect(actual).toEqual(expected))) return
    this.fail(guarantee, [...describe(differences(actual, expected)), ...inputLine(input)], this.equal)
  }

  /** Strict (`Object.is`) equality. */
  same(actual: unknown, expected: unknown, guarantee: string, input?: unknown): void {
    if (this.#passes(() => this.runner.expect(actual).toBe(expected))) return
    this.fail(guarantee, [`expected ${show(expected)}, got ${show(actual)}`, ...inputLine(input)], this.same)
  }

  /** An optional field that was never set must come back missing or `undefined`, never `null`. */
  absent(actual: unknown, guarantee: string, input?: unknown): void {
    if (this.#passes(() => this.runner.expect(actual).toBeUndefined())) return
    this.fail(
      guarantee,
      [`expected absent (undefined), got ${show(actual)}`, ...inputLine(input)],
      this.absent,
    )
  }

  /** The call must reject; with `code`, with an error carrying that `code` (e.g. `ERR_STORE_CONFLICT`). */
  async rejects(call: () => Promise<unknown>, guarantee: string, code?: string): Promise<void> {
    let settled: { error: unknown } | undefined
    try {
      await call()
    } catch (error) {
      settled = { error }
    }
    if (!settled) this.fail(guarantee, ['expected the call to reject, but it resolved'], this.rejects)
    const actual = (settled.error as { code?: unknown } | null)?.code
    if (code !== undefined && actual !== code) {
      this.fail(
        guarantee,
        [`expected an error with code ${code}, got ${describeError(settled.error)}`],
        this.rejects,
      )
    }
  }

  /** Fails with the guarantee and a few lines of detail; `from` is left out of the stack. */
  fail(guarantee: string, details: readonly string[], from: (...args: never) => unknown = this.fail): never {
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 2
    try {
      const failure = new ConformanceFailure([guarantee, ...details.map((line) => `  ${line}`)].join('\n'))
      Error.captureStackTrace?.(failure, from)
      throw failure
    } finally {
      Error.stackTraceLimit = limit
    }
  }

  #passes(assertion: () => void): boolean {
    try {
      assertion()
      return true
    } catch {
      return false
    }
  }
}

/** At most this many differing fields are listed. */
const shown = 6

function describe(found: Difference[]): string[] {
  const lines = found
    .slice(0, shown)
    .map(({ path, expected, actual }) => `${path || 'value'}: expected ${expected}, got ${actual}`)
  if (found.length > shown) lines.push(`… and ${found.length - shown} more`)
  if (found.some((d) => d.actual === 'null' && d.expected === 'absent')) {
    lines.push(
      'hint: an optional field that was not set came back as null; it must be absent (rule 4). This one defect fails many tests: fix it first ("optional fields left out come back absent, not null").',
    )
  }
  return lines
}

function inputLine(input: unknown): string[] {
  return input === undefined ? [] : [`input: ${show(input)}`]
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return `${error.name}${code === undefined ? '' : ` (code ${String(code)})`}: ${error.message.split('\n')[0]}`
  }
  return String(error)
}

/** The stable `code`s of the contract's errors (see core/stores/errors.ts). */
export const errorCodes = {
  conflict: 'ERR_STORE_CONFLICT',
  unavailable: 'ERR_STORE_UNAVAILABLE',
  expiryOutOfRange: 'ERR_STORE_EXPIRY_OUT_OF_RANGE',
} as const
