/**
 * The range of expiry times a store accepts. Expiry times reach stores from requests (a client
 * assertion's `exp`), so every plugin refuses what its backend cannot hold exactly: a non-finite
 * or fractional value, or one past the latest time a `Date` can hold (ECMA-262 §21.4.1.1),
 * which is still a safe integer, a Postgres bigint, a libSQL integer and a Redis TTL.
 * Otherwise one backend fails with a raw error and another turns the overflowing time into a
 * negative TTL that deletes the record at once.
 */

/** Epoch milliseconds of the latest expiry a store accepts (year 275760). */
export const latestExpiresAt = 8_640_000_000_000_000

/** An `expiresAt` outside whole epoch milliseconds from −latestExpiresAt to latestExpiresAt. */
export class ExpiryOutOfRangeError extends RangeError {
  readonly code = 'ERR_STORE_EXPIRY_OUT_OF_RANGE'
  override name = 'ExpiryOutOfRangeError'
}

/** Throws `ExpiryOutOfRangeError` unless `expiresAt` is whole epoch milliseconds within range. */
export function checkExpiresAt(store: string, expiresAt: number): void {
  if (Number.isInteger(expiresAt) && Math.abs(expiresAt) <= latestExpiresAt) return
  throw new ExpiryOutOfRangeError(
    `${store}: expiresAt must be whole epoch milliseconds within ±${latestExpiresAt} (given ${String(expiresAt)})`,
  )
}
