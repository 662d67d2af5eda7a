/** Errors every store plugin raises in the same way, so core can branch on `code`. */

/** A uniqueness rule was violated (an existing id, user code or username). */
export class StoreConflictError extends Error {
  readonly code = 'ERR_STORE_CONFLICT'
  override name = 'StoreConflictError'
}

/**
 * The backend cannot be reached right now. Plugins wrap connection failures in this so the
 * server answers 503 `temporarily_unavailable` instead of a 500, and never with a false result.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'ERR_STORE_UNAVAILABLE'
  override name = 'StoreUnavailableError'
  constructor(
    readonly store: string,
    options?: { cause?: unknown },
  ) {
    super(`store "${store}" is unavailable`, options)
  }
}

export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
  return error instanceof Error && (error as { code?: unknown }).code === 'ERR_STORE_UNAVAILABLE'
}

/** By code, so a third-party plugin's own subclass or copy of the error counts too. */
export function isStoreConflict(error: unknown): error is StoreConflictError {
  return error instanceof Error && (error as { code?: unknown }).code === 'ERR_STORE_CONFLICT'
}
