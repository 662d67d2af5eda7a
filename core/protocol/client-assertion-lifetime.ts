/**
 * How far ahead a client assertion may expire. RFC 7523 §3 leaves the bound to the server, and
 * a jti is remembered until the assertion expires (item 7), so an unbounded `exp` both keeps
 * the replay cache growing and reaches stores as a time no backend holds. Other servers cap it
 * too (Keycloak's "max expiration of client assertion"); ours defaults to 5 minutes.
 */

/** Default `clientAssertion.maxLifetime`, in seconds. */
export const defaultAssertionMaxLifetime = 300

/**
 * Why an assertion's `exp` lies too far ahead, or undefined. Lifetime counts from `iat` when
 * the assertion has one (already known not to be in the future), else from now; `tolerance`
 * is the clock skew allowed elsewhere on the assertion, in seconds.
 */
export function assertionLifetimeProblem(
  claims: { exp: number; iat?: number | undefined },
  nowSeconds: number,
  maxLifetime: number,
  tolerance: number,
): string | undefined {
  const from = claims.iat ?? nowSeconds
  if (claims.exp - from > maxLifetime + tolerance || claims.exp - nowSeconds > maxLifetime + tolerance) {
    return `invalid client assertion (exp more than ${maxLifetime} s ahead)`
  }
  return undefined
}
