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
 * of its arguments first (see nul.ts).
 */
export function guarded<T extends object>(
  store: string,
  methods: T,
  classify: ClassifyError,
  lookups: Lookups = {},
): T {
  const wrapped: Record<string, unknown> = {}
  for (const [name, method] of Object.entries(methods) as [
    string,
    (...args: unknown[]) => Promise<unknown>,
  ][]) {
    const lookup = lookups[name]
    wrapped[name] = async (...args: unknown[]) => {
      const screened = screenNul(store, lookup, args)
      if (screened) return screened.answer
      try {
        return await method(...args)
      } catch (error) {
        throw storeError(store, error, classify)
      }
    }
  }
  return wrapped as T
}
