/**
 * The issuer taken from a request (no fixed `issuer`): which Host and forwarded headers count.
 * Over a real port, since trust in a proxy depends on the socket peer.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { connect } from 'node:net'
import { Hono } from 'hono'
import { OAuthError } from '../../core/protocol/errors.ts'
import { type PublicOriginOptions, publicOrigin } from '../../server/middleware/public-origin.ts'

const servers: ReturnType<typeof Bun.serve>[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.stop(true)
})

/** A server answering with the issuer it derives, or the OAuth error code. */
function serve(options: PublicOriginOptions): string {
  const app = new Hono<{ Variables: { issuer: string } }>()
  app.use(publicOrigin(options))
  app.get('/issuer', (c) => c.text(c.var.issuer))
  app.onError((error, c) =>
    error instanceof OAuthError ? c.text(error.error, error.status as 400) : c.text('500', 500),
  )
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: app.fetch })
  servers.push(server)
  return `http://127.0.0.1:${server.port}`
}

async function issuerAt(base: string, headers: Record<string, string> = {}): Promise<[number, string]> {
  const response = await fetch(`${base}/issuer`, { headers })
  return [response.status, await response.text()]
}

/** One raw HTTP/1.1 request, for what fetch() will not send (two Host header lines). */
function raw(base: string, head: string): Promise<string> {
  const { port } = new URL(base)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(`${head}\r\n\r\n`))
    let received = ''
    socket.on('data', (chunk) => {
      received += chunk
    })
    socket.on('end', () => resolve(received))
    socket.on('error', reject)
  })
}

describe('allowedHosts', () => {
  test('a Host outside allowedHosts is 400 invalid_request; a listed one is the issuer', async () => {
    const base = serve({ allowedHosts: ['id.example.com', 'localhost:3000'] })
    expect(await issuerAt(base, { host: 'id.example.com' })).toEqual([200, 'http://id.example.com'])
    expect(await issuerAt(base, { host: 'LOCALHOST:3000' })).toEqual([200, 'http://localhost:3000'])
    expect(await issuerAt(base, { host: 'evil.example' })).toEqual([400, 'invalid_request'])
    // A port is part of the host: id.example.com:8443 is another origin.
    expect(await issuerAt(base, { host: 'id.example.com:8443' })).toEqual([400, 'invalid_request'])
  })

  test('["*"] takes any Host, as no list does (development)', async () => {
    expect(await issuerAt(serve({ allowedHosts: ['*'] }), { host: 'any.example' })).toEqual([
      200,
      'http://any.example',
    ])
    expect(await issuerAt(serve({}), { host: 'any.example' })).toEqual([200, 'http://any.example'])
  })

  test('the forwarded host is what allowedHosts checks behind a trusted proxy', async () => {
    const base = serve({ trustProxy: ['127.0.0.1'], allowedHosts: ['id.example.com'] })
    expect(await issuerAt(base, { host: 'internal:8080', 'x-forwarded-host': 'id.example.com' })).toEqual([
      200,
      'http://id.example.com',
    ])
    expect(await issuerAt(base, { 'x-forwarded-host': 'evil.example' })).toEqual([400, 'invalid_request'])
  })

  test('a fixed issuer needs no Host check', async () => {
    const base = serve({ issuer: 'https://id.example.com', allowedHosts: ['id.example.com'] })
    expect(await issuerAt(base, { host: '10.1.2.3:3000' })).toEqual([200, 'https://id.example.com'])
  })
})

describe('forwarded headers from trusted proxies', () => {
  test('a proxy that appends: the right-most X-Forwarded-Host/Proto win, not what the client sent', async () => {
    const base = serve({ trustProxy: ['127.0.0.1'] })
    expect(
      await issuerAt(base, {
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-host': 'evil.example, id.example.com',
        'x-forwarded-proto': 'http, https',
      }),
    ).toEqual([200, 'https://id.example.com'])
  })

  test('through two trusted proxies, the host the outer one received counts', async () => {
    // Client → proxy 10.0.0.2 (Host id.example.com) → proxy 127.0.0.1 (Host internal.svc) → us.
    const base = serve({ trustProxy: ['127.0.0.1', '10.0.0.2'] })
    expect(
      await issuerAt(base, {
        'x-forwarded-for': '203.0.113.7, 10.0.0.2',
        'x-forwarded-host': 'evil.example, id.example.com, internal.svc',
        'x-forwarded-proto': 'http, https, http',
      }),
    ).toEqual([200, 'https://id.example.com'])
  })

  test('from an untrusted peer forwarded headers are ignored', async () => {
    const base = serve({ trustProxy: ['10.9.9.9'] })
    const [status, issuer] = await issuerAt(base, { 'x-forwarded-host': 'evil.example' })
    expect([status, issuer]).toEqual([200, base])
  })
})

test('two Host header lines are 400 (RFC 9112 §3.2)', async () => {
  for (const options of [{}, { allowedHosts: ['a.example', 'b.example'] }]) {
    const base = serve(options)
    const response = await raw(
      base,
      'GET /issuer HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close',
    )
    expect(response.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request')
  }
})
