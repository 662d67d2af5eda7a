/**
 * The public origin (issuer) a request is answered under, as IdentityServer's PublicOrigin:
 * `PORTICO_ISSUER` / config `issuer` when set; otherwise the request's own origin, taking
 * `X-Forwarded-Proto` / `X-Forwarded-Host` only from a peer listed in `trustProxy`, so an
 * untrusted Host header never ends up in a URL the server emits.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { getConnInfo } from 'hono/bun'
import { OAuthError } from '../../core/protocol/errors.ts'

export interface PublicOriginOptions {
  /** A fixed issuer; wins over anything the request says. */
  issuer?: string
  /** Peer addresses whose `X-Forwarded-*` headers are believed; `true` believes every peer. */
  trustProxy?: readonly string[] | string | boolean
}

export type PublicOriginEnv = {
  Variables: { issuer: string; trustedProxy?: ((address: string) => boolean) | undefined }
}

/** Stores the issuer as `c.var.issuer` for the handlers after it. */
export function publicOrigin(options: PublicOriginOptions = {}): MiddlewareHandler<PublicOriginEnv> {
  const fixed = options.issuer ? normalizeIssuer(options.issuer) : undefined
  const trusted = trustList(options.trustProxy)
  return async function publicOrigin(c, next) {
    // Bun leaves the URL relative when the Host header is not a host, or is absent (HTTP/1.0);
    // RFC 9112 §3.2: 400. Routing a relative URL would go wrong further on.
    if (c.req.url.charCodeAt(0) === slash) throw malformedHost()
    c.set('issuer', fixed ?? requestOrigin(c, trusted))
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

function requestOrigin(c: Context, trusted: ((address: string) => boolean) | undefined): string {
  // A Host with an impossible port (`x:99999`) still yields an absolute URL that does not parse.
  const url = URL.parse(c.req.url)
  if (!url) throw malformedHost()
  let protocol = url.protocol.slice(0, -1)
  let host = url.host
  if (trusted) {
    const peer = peerAddress(c)
    if (peer !== undefined && trusted(peer)) {
      // Only the left-most (client-facing) value of a proxy chain names the public origin.
      const forwardedProto = firstValue(c.req.header('x-forwarded-proto'))?.toLowerCase()
      const forwardedHost = firstValue(c.req.header('x-forwarded-host'))
      if (forwardedProto === 'http' || forwardedProto === 'https') protocol = forwardedProto
      if (forwardedHost && isHost(forwardedHost)) host = forwardedHost.toLowerCase()
    }
  }
  return `${protocol}://${host}`
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

function firstValue(header: string | undefined): string | undefined {
  const value = header?.split(',')[0]?.trim()
  return value || undefined
}

/** A host with an optional port; anything else (paths, credentials, spaces) is ignored. */
function isHost(value: string): boolean {
  return /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(value)
}

/** `::ffff:127.0.0.1` is how a dual-stack socket reports 127.0.0.1. */
function canonicalAddress(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1')
}
