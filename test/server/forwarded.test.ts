/**
 * Trusted proxies as CIDR ranges, RFC 7239 `Forwarded` and `X-Forwarded-Prefix`: which peer is
 * believed and what it may change about the issuer. The peer is faked as a socket would report
 * it (hono's getConnInfo reads `requestIP` from the env).
 */
import { describe, expect, test } from 'bun:test'
import { Hono } from 'hono'
import { OAuthError } from '../../core/protocol/errors.ts'
import { parseForwarded } from '../../server/middleware/forwarded.ts'
import {
  clientAddress,
  type PublicOriginEnv,
  type PublicOriginOptions,
  publicOrigin,
} from '../../server/middleware/public-origin.ts'
import { proxyRange, trustedProxies } from '../../server/middleware/trusted-proxies.ts'
import { startPortico } from '../e2e/portico.ts'

/** The issuer (and client address) a request from `peer` is answered under, or the error code. */
async function answer(
  options: PublicOriginOptions,
  peer: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; issuer: string; client?: string }> {
  const app = new Hono<PublicOriginEnv>()
  app.use(publicOrigin(options))
  app.get('/issuer', (c) => c.json({ issuer: c.var.issuer, client: clientAddress(c) }))
  app.onError((error, c) =>
    error instanceof OAuthError ? c.json({ issuer: error.error }, error.status as 400) : c.text('500', 500),
  )
  const family = peer.includes(':') ? 'IPv6' : 'IPv4'
  const response = await app.request(
    'http://internal:8080/issuer',
    { headers },
    {
      requestIP: () => ({ address: peer, family, port: 40000 }),
    },
  )
  return { status: response.status, ...((await response.json()) as { issuer: string; client?: string }) }
}

describe('trustProxy ranges', () => {
  test('CIDR ranges and single addresses, IPv4 and IPv6; an IPv4-mapped peer counts as IPv4', () => {
    const trusted = trustedProxies(['10.0.0.0/8', '192.0.2.7', '::1/128', 'fd00::/8'])!
    expect(
      ['10.200.3.4', '192.0.2.7', '::1', 'fd12:3456::1', '::ffff:10.1.2.3', '::FFFF:192.0.2.7'].map(trusted),
    ).toEqual([true, true, true, true, true, true])
    expect(
      ['11.0.0.1', '192.0.2.8', '::2', 'fe00::1', '::ffff:11.0.0.1', 'unknown', '', '_hidden'].map(trusted),
    ).toEqual([false, false, false, false, false, false, false, false])
    // A mapped range is the IPv4 range it maps; an IPv4 range never matches a plain IPv6 peer.
    expect(trustedProxies(['::ffff:10.0.0.0/104'])!('10.9.9.9')).toBe(true)
    expect(trustedProxies(['0.0.0.0/0'])!('::1')).toBe(false)
  })

  test('malformed entries are refused', () => {
    for (const entry of [
      'proxy.local',
      '10.0.0.0/33',
      '::/129',
      '10.0.0.0/',
      '10.0.0.0/8/8',
      '10',
      '0x0a.0.0.1',
      '10.0.0.0/-1',
      '/8',
    ]) {
      expect(proxyRange(entry)).toBeUndefined()
    }
    expect(() => trustedProxies(['10.0.0.0/33'])).toThrow('trustProxy')
  })

  test('a peer inside a trusted range has its forwarded headers believed; outside, ignored', async () => {
    const options = { trustProxy: ['10.0.0.0/8', 'fd00::/8'] }
    const forwarded = { 'x-forwarded-host': 'id.example.com', 'x-forwarded-proto': 'https' }
    expect((await answer(options, '10.1.2.3', forwarded)).issuer).toBe('https://id.example.com')
    expect((await answer(options, 'fd00::5', forwarded)).issuer).toBe('https://id.example.com')
    expect((await answer(options, '::ffff:10.1.2.3', forwarded)).issuer).toBe('https://id.example.com')
    expect((await answer(options, '11.1.2.3', forwarded)).issuer).toBe('http://internal:8080')
  })
})

describe('RFC 7239 Forwarded', () => {
  test('parses elements, pairs, quoted strings and ports; malformed is nothing', () => {
    expect(parseForwarded('for=192.0.2.60;proto=http;by=203.0.113.43')).toEqual([
      { for: '192.0.2.60', proto: 'http' },
    ])
    expect(
      parseForwarded('For="[2001:db8:cafe::17]:4711", for="192.0.2.43:47011";Host="id.example.com"'),
    ).toEqual([{ for: '2001:db8:cafe::17' }, { for: '192.0.2.43', host: 'id.example.com' }])
    for (const bad of [
      'for',
      'for=a b',
      'for="unterminated',
      'for=a;for=b',
      'for=a,,for=b',
      'proto=http;',
      'for=192.0.2.43:47011',
    ]) {
      expect(parseForwarded(bad)).toBeUndefined()
    }
  })

  test('from a trusted proxy, host and proto of the client-facing hop make the issuer', async () => {
    // Client → proxy 10.0.0.2 (called as id.example.com over https) → proxy 10.0.0.1 → us.
    const result = await answer({ trustProxy: ['10.0.0.0/24'] }, '10.0.0.1', {
      forwarded:
        'for=198.51.100.1;host=evil.example;proto=http, for=203.0.113.7;host=id.example.com;proto=https, for=10.0.0.2;host=internal.svc;proto=http',
    })
    expect(result).toEqual({ status: 200, issuer: 'https://id.example.com', client: '203.0.113.7' })
  })

  test('Forwarded wins over X-Forwarded-*; a malformed one is not believed at all', async () => {
    const options = { trustProxy: ['10.0.0.1'] }
    const both = {
      forwarded: 'for=203.0.113.7;host=id.example.com;proto=https',
      'x-forwarded-host': 'other.example',
    }
    expect((await answer(options, '10.0.0.1', both)).issuer).toBe('https://id.example.com')
    const malformed = {
      forwarded: 'for=203.0.113.7;host=id.example.com;proto',
      'x-forwarded-host': 'other.example',
    }
    expect((await answer(options, '10.0.0.1', malformed)).issuer).toBe('http://internal:8080')
  })

  test('from an untrusted peer Host aside, Forwarded and X-Forwarded-* are ignored', async () => {
    const result = await answer({ trustProxy: ['10.0.0.0/8'] }, '203.0.113.9', {
      forwarded: 'for=10.0.0.5;host=evil.example;proto=https',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-prefix': '/evil',
      'x-forwarded-for': '10.0.0.5',
    })
    expect(result).toEqual({ status: 200, issuer: 'http://internal:8080', client: '203.0.113.9' })
  })
})

describe('X-Forwarded-Prefix', () => {
  const options = { trustProxy: ['10.0.0.1'] }

  test('a trusted proxy’s prefix becomes the issuer’s path', async () => {
    const headers = { 'x-forwarded-host': 'example.com', 'x-forwarded-proto': 'https' }
    expect((await answer(options, '10.0.0.1', { ...headers, 'x-forwarded-prefix': '/id' })).issuer).toBe(
      'https://example.com/id',
    )
    expect(
      (await answer(options, '10.0.0.1', { ...headers, 'x-forwarded-prefix': '/tenants/a-1/' })).issuer,
    ).toBe('https://example.com/tenants/a-1')
    const withForwarded = { forwarded: 'host=example.com;proto=https', 'x-forwarded-prefix': '/id' }
    expect((await answer(options, '10.0.0.1', withForwarded)).issuer).toBe('https://example.com/id')
  })

  test('anything but a path of safe segments is ignored', async () => {
    for (const prefix of [
      'id',
      '/../admin',
      '/a/./b',
      '//evil.example',
      '/a%2Fb',
      '/a b',
      '/a?x=1',
      '/a#f',
      'https://evil.example/',
    ]) {
      expect((await answer(options, '10.0.0.1', { 'x-forwarded-prefix': prefix })).issuer).toBe(
        'http://internal:8080',
      )
    }
  })

  test('with a fixed issuer no forwarded header changes it', async () => {
    const result = await answer({ issuer: 'https://example.com/id', trustProxy: true }, '10.0.0.1', {
      forwarded: 'host=evil.example;proto=http',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'http',
      'x-forwarded-prefix': '/evil',
      host: 'evil.example',
    })
    expect(result.issuer).toBe('https://example.com/id')
  })
})

describe('through the whole app', () => {
  test('discovery from a trusted range: Forwarded and X-Forwarded-Prefix make every URL; from elsewhere only Host', async () => {
    const portico = await startPortico({ config: { issuer: undefined, trustProxy: ['10.0.0.0/8'] } })
    try {
      const discovery = async (peer: string) => {
        const response = await portico.app.request(
          'http://internal:8080/.well-known/openid-configuration',
          {
            headers: {
              forwarded: 'for=203.0.113.7;host=example.com;proto=https',
              'x-forwarded-prefix': '/id',
            },
          },
          { requestIP: () => ({ address: peer, family: 'IPv4', port: 40000 }) },
        )
        return (await response.json()) as Record<string, string>
      }
      const trusted = await discovery('10.20.30.40')
      expect(trusted.issuer).toBe('https://example.com/id')
      expect(trusted.token_endpoint).toBe('https://example.com/id/connect/token')
      expect(trusted.jwks_uri).toBe('https://example.com/id/.well-known/openid-configuration/jwks')
      const untrusted = await discovery('198.51.100.1')
      expect(untrusted.issuer).toBe('http://internal:8080')
      expect(untrusted.token_endpoint).toBe('http://internal:8080/connect/token')
    } finally {
      await portico.close()
    }
  })
})
