/**
 * What the proxies in front of us say about a request, one hop per proxy, left (nearest the
 * client) to right (the peer that called us): from RFC 7239 `Forwarded` when the request has it,
 * otherwise from the `X-Forwarded-For/-Proto/-Host` lists, which proxies extend the same way.
 * Only ever read when the socket peer is a trusted proxy; which hop is believed is decided by
 * the caller, walking from the right past trusted addresses.
 */
import type { Context } from 'hono'

export interface ForwardedHop {
  /** The address the proxy was called from (`for=`), without port or brackets. */
  for?: string | undefined
  /** The scheme (`proto=`) and Host (`host=`) the proxy was called with. */
  proto?: string | undefined
  host?: string | undefined
  /** The path prefix the proxy removed (`X-Forwarded-Prefix`), as the proxy sent it. */
  prefix?: string | undefined
}

/** The hops a request reports; a malformed `Forwarded` reports none (nothing in it is believed). */
export function forwardedHops(c: Context): ForwardedHop[] {
  const forwarded = c.req.header('forwarded')
  const prefixes = list(c.req.header('x-forwarded-prefix'))
  if (forwarded !== undefined) {
    return alignRight(parseForwarded(forwarded) ?? [], { prefix: prefixes })
  }
  return alignRight([], {
    for: list(c.req.header('x-forwarded-for')),
    proto: list(c.req.header('x-forwarded-proto')),
    host: list(c.req.header('x-forwarded-host')),
    prefix: prefixes,
  })
}

/** Lists appended to by each proxy line up from the right: their last entries are the same hop's. */
function alignRight(
  hops: ForwardedHop[],
  lists: Partial<Record<keyof ForwardedHop, string[]>>,
): ForwardedHop[] {
  const length = Math.max(hops.length, ...Object.values(lists).map((values) => values.length))
  const aligned: ForwardedHop[] = []
  for (let fromRight = length - 1; fromRight >= 0; fromRight--) {
    const hop = { ...hops[hops.length - 1 - fromRight] }
    for (const [name, values] of Object.entries(lists) as [keyof ForwardedHop, string[]][]) {
      const value = values[values.length - 1 - fromRight]
      if (value) hop[name] = name === 'for' ? nodeAddress(value) : value
    }
    aligned.push(hop)
  }
  return aligned
}

function list(header: string | undefined): string[] {
  return header === undefined ? [] : header.split(',').map((value) => value.trim())
}

// RFC 7239 §4: forwarded-pair = token "=" value; value = token / quoted-string (RFC 9110 §5.6.4).
const pair = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)=(?:([!#$%&'*+.^_`|~0-9A-Za-z-]+)|"((?:[^"\\]|\\.)*)")\s*/

/** RFC 7239 §4: elements separated by commas, pairs by semicolons; undefined when malformed. */
export function parseForwarded(header: string): ForwardedHop[] | undefined {
  const hops: ForwardedHop[] = []
  let rest = header
  let hop: ForwardedHop = {}
  while (true) {
    const match = pair.exec(rest)
    if (!match) return undefined
    const name = match[1]!.toLowerCase() // RFC 7239 §4: parameter names are case-insensitive
    const value = match[2] ?? match[3]!.replace(/\\(.)/g, '$1')
    // §4: a parameter appears at most once per element.
    if (name === 'for' || name === 'proto' || name === 'host') {
      if (hop[name] !== undefined) return undefined
      hop[name] = name === 'for' ? nodeAddress(value) : value
    }
    rest = rest.slice(match[0].length)
    if (rest === '') break
    const separator = rest[0]
    rest = rest.slice(1)
    if (separator === ',') {
      hops.push(hop)
      hop = {}
    } else if (separator !== ';') return undefined
  }
  hops.push(hop)
  return hops
}

/** RFC 7239 §6: `192.0.2.43:47011` and `[2001:db8::17]:4711` name the addresses before the port. */
function nodeAddress(node: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(node)
  if (bracketed) return bracketed[1]!
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(node)
  return v4WithPort ? v4WithPort[1]! : node
}
