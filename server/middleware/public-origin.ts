/**
 * The public origin (issuer) a request is answered under, as IdentityServer's PublicOrigin:
 * `PORTICO_ISSUER` / config `issuer` when set; otherwise the request's own origin. That origin
 * is the Host header, or what RFC 7239 `Forwarded` (or `X-Forwarded-Host` / `-Proto`) says when
 * the peer is listed in `trustProxy`, with the `X-Forwarded-Prefix` path after it; so whoever sends the request chooses it: with `allowedHosts` a host outside the
 * list is refused (400), and without it (development) any Host becomes the issuer, and with it
 * the `iss` of tokens and the `aud` client assertions must name. Production therefore refuses
 * to start with neither `issuer` nor `allowedHosts` (server/start.ts).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { getConnInfo } from 'hono/bun'
import { getPath } from 'hono/utils/url'
import { OAuthError } from '../../core/protocol/errors.ts'
import { type ForwardedHop, forwardedHops } from './forwarded.ts'
import { type TrustedProxy, trustedProxies } from './trusted-proxies.ts'

export interface PublicOriginOptions {
  /** A fixed issuer; wins over anything the request says. */
  issuer?: string
  /**
   * Peer addresses or CIDR ranges whose `Forwarded` / `X-Forwarded-*` headers are believed;
   * `true` believes every peer.
   */
  trustProxy?: readonly string[] | string | boolean
  /**
   * Hosts (`host` or `host:port`, as in the URL) a request-derived issuer may have; anything
   * else is 400. Empty or absent, or `["*"]`: any host.
   */
  allowedHosts?: readonly string[]
}

export type PublicOriginEnv = {
  Variables: { issuer: string; trustedProxy?: TrustedProxy | undefined }
}

/** Stores the issuer as `c.var.issuer` for the handlers after it. */
export function publicOrigin(options: PublicOriginOptions = {}): MiddlewareHandler<PublicOriginEnv> {
  const fixed = options.issuer ? normalizeIssuer(options.issuer) : undefined
  const trusted = trustedProxies(options.trustProxy)
  const allowed = hostList(options.allowedHosts)
  return async function publicOrigin(c, next) {
    // Bun leaves the URL relative when the Host header is not a host, or is absent (HTTP/1.0),
    // and joins two Host lines with a comma; RFC 9112 §3.2: 400 for both. Routing a relative
    // URL would go wrong further on.
    if (c.req.url.charCodeAt(0) === slash || c.req.header('host')?.includes(',')) throw malformedHost()
    c.set('issuer', fixed ?? requestOrigin(c, trusted, allowed))
    if (trusted) c.set('trustedProxy', trusted)
    await next()
  }
}

const slash = 47

function malformedHost(): OAuthError {
  return new OAuthError('invalid_request', 'the Host header is missing or malformed')
}

/**
 * Hono's `getPath` for an issuer with a path (`https://example.com/id`): `/id/connect/token` is
 * routed as `/connect/token`, so Portico answers behind a proxy that keeps the prefix as well as
 * one that strips it. Undefined at the root. (Mounted with `host.route('/id', app)`, the host
 * routes the request and this is not used.)
 */
export function routeUnderIssuerPath(issuer: string | undefined): ((request: Request) => string) | undefined {
  const prefix = issuer ? new URL(normalizeIssuer(issuer)).pathname.replace(/\/+$/, '') : ''
  if (!prefix) return undefined
  return function issuerPath(request) {
    const path = getPath(request)
    if (path === prefix) return '/'
    return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path
  }
}

/** `https://id.example.com/` and `https://id.example.com` are one issuer; a path is kept. */
export function normalizeIssuer(issuer: string): string {
  return issuer.replace(/\/+$/, '')
}

/** The allowed hosts, lower-cased; undefined when any host is allowed. */
function hostList(allowedHosts: readonly string[] | undefined): Set<string> | undefined {
  if (!allowedHosts?.length || allowedHosts.includes('*')) return undefined
  return new Set(allowedHosts.map((host) => host.toLowerCase()))
}

function requestOrigin(
  c: Context,
  trusted: TrustedProxy | undefined,
  allowed: Set<string> | undefined,
): string {
  // A Host with an impossible port (`x:99999`) still yields an absolute URL that does not parse.
  const url = URL.parse(c.req.url)
  if (!url) throw malformedHost()
  let protocol = url.protocol.slice(0, -1)
  let host = url.host
  let prefix = ''
  const peer = trusted && peerAddress(c)
  if (peer !== undefined && trusted?.(peer)) {
    const hop = clientFacingHop(forwardedHops(c), trusted)
    const forwardedProto = hop?.proto?.toLowerCase()
    if (forwardedProto === 'http' || forwardedProto === 'https') protocol = forwardedProto
    if (hop?.host && isHost(hop.host)) host = hop.host.toLowerCase()
    if (hop?.prefix && isPathPrefix(hop.prefix)) prefix = hop.prefix.replace(/\/+$/, '')
  }
  if (allowed && !allowed.has(host)) {
    throw new OAuthError('invalid_request', 'the Host is not one this server answers for')
  }
  return `${protocol}://${host}${prefix}`
}

/**
 * The hop the client-facing proxy reported: each proxy appends the address it was called from
 * and the Host, scheme and prefix it was called with, so skipping the trusted addresses at the
 * right end finds it. What lies further left came from the client and is never believed.
 */
function clientFacingHop(hops: ForwardedHop[], trusted: TrustedProxy): ForwardedHop | undefined {
  let i = hops.length - 1
  while (i >= 0 && hops[i]!.for !== undefined && trusted(hops[i]!.for!)) i--
  return hops[i]
}

/** The socket peer's address, or undefined when the request came through no socket. */
export function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address
  } catch {
    // No socket behind this request (e.g. `app.request` in tests): no peer to trust.
    return undefined
  }
}

/**
 * The client's address for per-address accounting (brute-force protection): the socket peer,
 * or, when that is a trusted proxy, the right-most X-Forwarded-For entry no trusted proxy
 * added. Behind a proxy every socket is the proxy's, so the peer alone would make one
 * guesser's failures count against everyone.
 */
export function clientAddress(c: Context): string | undefined {
  const peer = peerAddress(c)
  const trusted = c.get('trustedProxy') as TrustedProxy | undefined
  if (peer === undefined || !trusted?.(peer)) return peer
  const addresses = forwardedHops(c).flatMap((hop) => (hop.for ? [hop.for] : []))
  for (let i = addresses.length - 1; i >= 0; i--) {
    if (!trusted(addresses[i]!)) return addresses[i]
  }
  return addresses[0] || peer
}

/** A host with an optional port; anything else (paths, credentials, spaces) is ignored. */
function isHost(value: string): boolean {
  return /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(value)
}

/** `/id`, `/tenants/a/`: segments of unreserved characters (RFC 3986 §2.3), never `.` or `..`. */
function isPathPrefix(value: string): boolean {
  return /^(\/(?!\.\.?(\/|$))[A-Za-z0-9._~-]+)+\/?$/.test(value)
}
