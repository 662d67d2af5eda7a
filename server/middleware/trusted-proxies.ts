/**
 * Which peers are trusted reverse proxies (`trustProxy`): single addresses and CIDR ranges,
 * IPv4 and IPv6, an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, how a dual-stack socket
 * reports an IPv4 peer) counting as its IPv4 address. Matching uses ipaddr.js, the parser
 * behind Express's proxy-addr: no hand-written prefix arithmetic.
 */
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'

/** Whether an address (as a socket or a forwarded header reports it) is a trusted proxy. */
export type TrustedProxy = (address: string) => boolean

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number]

/**
 * `10.0.0.1`, `10.0.0.0/8`, `::1/128`, `fd00::/8` as a range; undefined when malformed. The
 * address part must be one `node:net` accepts (ipaddr.js alone would take `10` or `0x0a.1`).
 */
export function proxyRange(entry: string): Range | undefined {
  const slashAt = entry.indexOf('/')
  const address = slashAt < 0 ? entry : entry.slice(0, slashAt)
  const family = isIP(address)
  if (family === 0) return undefined
  const maxBits = family === 4 ? 32 : 128
  const lengthText = slashAt < 0 ? String(maxBits) : entry.slice(slashAt + 1)
  if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > maxBits) return undefined
  const parsed = ipaddr.parse(address)
  const bits = Number(lengthText)
  // `::ffff:10.0.0.0/104` is the IPv4 range 10.0.0.0/8, which is how the peer will be compared.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(parsed as ipaddr.IPv6).toIPv4Address(), bits - 96]
  }
  return [parsed, bits]
}

/** The matcher for a `trustProxy` setting; undefined when no proxy is trusted. */
export function trustedProxies(
  trustProxy: readonly string[] | string | boolean | undefined,
): TrustedProxy | undefined {
  if (trustProxy === true) return () => true
  if (!trustProxy) return undefined
  const ranges = (typeof trustProxy === 'string' ? [trustProxy] : trustProxy).map((entry) => {
    const range = proxyRange(entry)
    if (!range)
      throw new Error(`trustProxy: not an IP address or CIDR range (given ${JSON.stringify(entry)})`)
    return range
  })
  return function trustedProxy(address) {
    const peer = peerIp(address)
    return (
      peer !== undefined &&
      ranges.some(([network, bits]) => peer.kind() === network.kind() && peer.match(network, bits))
    )
  }
}

/** A peer's address, IPv4-mapped IPv6 as IPv4; undefined for anything not an IP (`unknown`, `_hidden`). */
function peerIp(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (isIP(address) === 0) return undefined
  return ipaddr.process(address)
}
