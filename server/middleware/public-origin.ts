/**
 * The public origin (issuer) a request is answered under, as IdentityServer's PublicOrigin:
 * `PORTICO_ISSUER` / config `issuer` when set; otherwise the request's own origin. That origin
 * is the Host header, or `X-Forwarded-Host` / `X-Forwarded-Proto` when the peer is listed in
 * `trustProxy`, so whoever sends the request chooses it: with `allowedHosts` a host outside the
 * list is refused (400), and without it (development) any Host becomes the issuer, and with it
 * the `iss` of tokens and the `aud` client assertions must name. Production therefore refuses
 * to start with neither `issuer` nor `allowedHosts` (server/start.ts).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { getConnInfo } from 'hono/bun'
import { OAuthError } from '../../core/protocol/errors.ts'

export interface PublicOriginOptions {
  /** A fixed issuer; wins over anything the request says. */
  issuer?: string
  /** Peer addresses whose `X-Forwarded-*` headers are believed; `true` believes every peer. */
  trustProxy?: readonly string[] | string | boolean
  /**
   * Hosts (`host` or `host:port`, as in the URL) a request-derived issuer may have; anything
   * else is 400. Empty or absent, or `["*"]`: any host.
   */
  allowedHosts?: readonly string[]
}

export type PublicOriginEnv = {
  Variables: { issuer: string; trustedProxy?: ((address: string) => boolean) | undefined }
}

/** Stores the issuer as `c.var.issuer` for the handlers after it. */
export function publicOrigin(options: PublicOriginOptions = {}): MiddlewareHandler<PublicOriginEnv> {
  const fixed = options.issuer ? normalizeIssuer(options.issuer) : undefined
  const trusted = trustList(options.trustProxy)
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

/** `https://id.example.com/` and `https://id.example.com` are one issuer; a path is kept. */
export function normalizeIssuer(issuer: string): string {
  return issuer.replace(/\/+$/, '')
}

function trustList(
  trustProxy: PublicOriginOptions['trustProxy'],
): ((address: string) => boolean) | undefined {
  if (trustProxy === true) return () => true
  if (!trustProxy) return undefined
  const list = new Set((typeof trustProxy === 'string' ? [trustProxy] : trustProxy).map(canonicalAddress))
  return (address) => list.has(canonicalAddress(address))
}

/** The allowed hosts, lower-cased; undefined when any host is allowed. */
function hostList(allowedHosts: readonly string[] | undefined): Set<string> | undefined {
  if (!allowedHosts?.length || allowedHosts.includes('*')) return undefined
  return new Set(allowedHosts.map((host) => host.toLowerCase()))
}

function requestOrigin(
  c: Context,
  trusted: ((address: string) => boolean) | undefined,
  allowed: Set<string> | undefined,
): string {
  // A Host with an impossible port (`x:99999`) still yields an absolute URL that does not parse.
  const url = URL.parse(c.req.url)
  if (!url) throw malformedHost()
  let protocol = url.protocol.slice(0, -1)
  let host = url.host
  if (trusted) {
    const peer = peerAddress(c)
    if (peer !== undefined && trusted(peer)) {
      const hop = trustedHops(c.req.header('x-forwarded-for'), trusted)
      const forwardedProto = forwardedValue(c.req.header('x-forwarded-proto'), hop)?.toLowerCase()
      const forwardedHost = forwardedValue(c.req.header('x-forwarded-host'), hop)
      if (forwardedProto === 'http' || forwardedProto === 'https') protocol = forwardedProto
      if (forwardedHost && isHost(forwardedHost)) host = forwardedHost.toLowerCase()
    }
  }
  if (allowed && !allowed.has(host)) {
    throw new OAuthError('invalid_request', 'the Host is not one this server answers for')
  }
  return `${protocol}://${host}`
}

/**
 * How many trusted proxies stand between the client-facing one and us, besides the peer:
 * the trusted addresses at the right end of X-Forwarded-For. Each proxy appends the address it
 * was called from there, and the Host and scheme it was called with to X-Forwarded-Host and
 * -Proto, so the client-facing proxy's entries are that many places from the right; what lies
 * further left came from the client and is never believed.
 */
function trustedHops(forwardedFor: string | undefined, trusted: (address: string) => boolean): number {
  const chain = forwardedFor?.split(',') ?? []
  let hops = 0
  for (let i = chain.length - 1; i >= 0 && trusted(chain[i]!.trim()); i--) hops++
  return hops
}

/** The entry `hop` places from the right of a comma-separated forwarded header, if present. */
function forwardedValue(header: string | undefined, hop: number): string | undefined {
  const values = header?.split(',') ?? []
  const value = values[values.length - 1 - hop]?.trim()
  return value || undefined
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
  const trusted = c.get('trustedProxy') as ((address: string) => boolean) | undefined
  if (peer === undefined || !trusted?.(peer)) return peer
  const chain = c.req.header('x-forwarded-for')?.split(',') ?? []
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i]!.trim()
    if (hop && !trusted(hop)) return hop
  }
  return chain[0]?.trim() || peer
}

/** A host with an optional port; anything else (paths, credentials, spaces) is ignored. */
function isHost(value: string): boolean {
  return /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(value)
}

/** `::ffff:127.0.0.1` is how a dual-stack socket reports 127.0.0.1. */
function canonicalAddress(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1')
}
