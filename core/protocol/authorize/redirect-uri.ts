/**
 * Redirect URI matching at the authorize endpoint: exact string comparison against the
 * client's registered list (RFC 9700 §4.1.3), with the one exception RFC 8252 §7.3 makes for
 * native apps on loopback, whose port the OS picks at run time.
 */

/** True when `given` is one of `registered`, compared as exact strings (loopback: any port). */
export function isRegisteredRedirectUri(registered: readonly string[], given: string): boolean {
  if (registered.includes(given)) return true
  const loopback = loopbackWithoutPort(given)
  if (loopback === undefined) return false
  return registered.some((uri) => loopbackWithoutPort(uri) === loopback)
}

// RFC 8252 §7.3 and §8.3: `http` on the IP literals, never `localhost` (which DNS may redirect).
const loopbackUri = /^http:\/\/(127\.0\.0\.1|\[::1\])(:\d{1,5})?(\/[^#]*)?$/

/** The URI with its port removed when it is an http loopback URI; undefined otherwise. */
function loopbackWithoutPort(uri: string): string | undefined {
  const match = loopbackUri.exec(uri)
  if (!match) return undefined
  return `http://${match[1]}${match[3] ?? ''}`
}
