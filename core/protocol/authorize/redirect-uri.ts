/**
 * Redirect URI matching at the authorize endpoint: exact string comparison against the
 * client's registered list (RFC 9700 §4.1.3), with the one exception RFC 8252 §7.3 makes for
 * native apps on loopback, whose port the OS picks at run time: a loopback URI registered
 * without a port (`http://127.0.0.1/cb`) matches that URI on any port. A URI registered with a
 * port is matched exactly, like every other.
 */

/** True when `given` is one of `registered`, compared as exact strings (portless loopback: any port). */
export function isRegisteredRedirectUri(registered: readonly string[], given: string): boolean {
  if (registered.includes(given)) return true
  const loopback = loopbackParts(given)
  if (loopback?.port === undefined) return false
  const withoutPort = `http://${loopback.host}${loopback.path}`
  return registered.some((uri) => {
    const parts = loopbackParts(uri)
    return parts !== undefined && parts.port === undefined && uri === withoutPort
  })
}

// RFC 8252 §7.3 and §8.3: `http` on the IP literals, never `localhost` (which DNS may redirect).
const loopbackUri = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?(\/[^#]*)?$/

function loopbackParts(uri: string): { host: string; port?: string | undefined; path: string } | undefined {
  const match = loopbackUri.exec(uri)
  if (!match) return undefined
  return { host: match[1]!, port: match[2], path: match[3] ?? '' }
}
