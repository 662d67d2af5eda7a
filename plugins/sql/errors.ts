/**
 * Maps driver errors onto the store contract once, for every store of both dialects: unique
 * violations become `StoreConflictError`, lost connections `StoreUnavailableError` (so the server
 * answers 503, never a false "not found"). drizzle wraps driver errors in `DrizzleQueryError`,
 * whose message carries the query's parameters; only the driver's own error is passed on.
 */
import { DrizzleQueryError } from 'drizzle-orm'
import { StoreConflictError, StoreUnavailableError } from '../../core/stores/errors.ts'
import type { ErrorKind } from './dialect.ts'
import { type Lookups, screenNul } from './nul.ts'

export type ClassifyError = (error: unknown) => ErrorKind | undefined

/** The driver's error behind drizzle's wrapper. */
export function driverError(error: unknown): unknown {
  return error instanceof DrizzleQueryError && error.cause !== undefined ? error.cause : error
}

export function storeError(store: string, error: unknown, classify: ClassifyError): unknown {
  const cause = driverError(error)
  switch (classify(cause)) {
    case 'conflict':
      return new StoreConflictError(`${store}: ${cause instanceof Error ? cause.message : 'conflict'}`, {
        cause,
      })
    case 'unavailable':
      return new StoreUnavailableError(store, { cause })
    default:
      return cause
  }
}

/**
 * The same store with every method's failures mapped by `storeError`, and U+0000 screened out
 * of its arguments first (see nul.ts). With `deadlineMs`, a call the database has not answered
 * by then rejects with `StoreUnavailableError`: a server that hangs (a network partition, a
 * stall) is an outage like one that refuses, answered 503, never a request held until it wakes.
 */
export function guarded<T extends object>(
  store: string,
  methods: T,
  classify: ClassifyError,
  lookups: Lookups = {},
  deadlineMs?: number,
): T {
  const wrapped: Record<string, unknown> = {}
  for (const [name, method] of Object.entries(methods) as [
    string,
    (...args: unknown[]) => Promise<unknown>,
  ][]) {
    const lookup = lookups[name]
    // A purge is a loop of short statements as long as the backlog: each batch has the
    // deadline (purge.ts), not the whole call, so a large backlog is not reported as an outage.
    const deadline = name === 'purgeExpired' ? undefined : deadlineMs
    wrapped[name] = async (...args: unknown[]) => {
      const screened = screenNul(store, lookup, args)
      if (screened) return screened.answer
      try {
        const call = method(...args)
        return await (deadline === undefined ? call : withinDeadline(store, call, deadline))
      } catch (error) {
        throw storeError(store, error, classify)
      }
    }
  }
  return wrapped as T
}

export function withinDeadline<T>(store: string, call: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // The query may still settle once the server wakes; nobody waits for it any more.
      call.catch(() => {})
      reject(new StoreUnavailableError(store, { cause: new Error(`no answer within ${ms} ms`) }))
    }, ms)
  })
  return Promise.race([call, expired]).finally(() => clearTimeout(timer))
}
