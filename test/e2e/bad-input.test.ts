/**
 * The bad-input sweep: whatever arrives at the token, introspection or revocation endpoint,
 * the answer is a 4xx JSON OAuth error, never a 5xx, and the server keeps serving.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { connect } from 'node:net'
import { basic, paths } from './http.ts'
import { issuer, type PorticoUnderTest, secrets, startPortico } from './portico.ts'

let portico: PorticoUnderTest
beforeAll(async () => {
  portico = await startPortico()
})
afterAll(() => portico.close())

const formType = 'application/x-www-form-urlencoded'
const b64 = (bytes: string | Uint8Array) => Buffer.from(bytes).toString('base64')

interface BadRequest {
  name: string
  init: RequestInit
  /** A query string appended to the endpoint URL. */
  query?: string
  /** Malformed only where the parameter means something (elsewhere it is ignored). */
  tokenOnly?: boolean
}

function post(
  name: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  query?: string,
): BadRequest {
  return { name, init: { method: 'POST', body, headers: { 'content-type': formType, ...headers } }, query }
}

const good = { authorization: basic('m2m', secrets.m2m) }

const sweep: BadRequest[] = [
  post('empty body', ''),
  post('missing grant_type/token', 'scope=api1.read', good),
  post(
    'duplicate grant_type',
    'grant_type=client_credentials&grant_type=client_credentials&token=a&token=b',
    good,
  ),
  post('duplicate client_id', 'grant_type=client_credentials&client_id=m2m&client_id=m2m&client_secret=x'),
  post(
    'duplicate client_secret',
    `grant_type=client_credentials&client_id=m2m&client_secret=${secrets.m2m}&client_secret=x`,
  ),
  post('oversized parameter', `grant_type=client_credentials&token=${'a'.repeat(60_000)}`, good),
  post('oversized scope', `grant_type=client_credentials&token=a&scope=${'s '.repeat(30_000)}`, good),
  post('body over the limit', `grant_type=client_credentials&token=${'a'.repeat(70_000)}`, good),
  post('non-UTF-8 bytes', new Uint8Array([0x67, 0x3d, 0xff, 0xfe, 0x26, 0x74, 0x3d, 0xc3]), good),
  post('percent-encoded non-UTF-8', 'grant_type=client_credentials&token=%FF%FE&scope=%C3', good),
  post('malformed percent-encoding', 'grant_type=%ZZ&token=%', good),
  post('NUL bytes', 'grant_type=client_credentials%00&token=%00', good),
  post('Basic without credentials', 'grant_type=client_credentials&token=a', { authorization: 'Basic' }),
  post('Basic not base64', 'grant_type=client_credentials&token=a', { authorization: 'Basic !!!***' }),
  post('Basic without colon', 'grant_type=client_credentials&token=a', {
    authorization: `Basic ${b64('m2m')}`,
  }),
  post('Basic with empty id', 'grant_type=client_credentials&token=a', {
    authorization: `Basic ${b64(':secret')}`,
  }),
  post('Basic with non-UTF-8', 'grant_type=client_credentials&token=a', {
    authorization: `Basic ${b64(new Uint8Array([0xff, 0x3a, 0xfe]))}`,
  }),
  post('Basic with bad percent-encoding', 'grant_type=client_credentials&token=a', {
    authorization: `Basic ${b64('m2m:%E0%A4%A')}`,
  }),
  post('Basic with a huge value', 'grant_type=client_credentials&token=a', {
    authorization: `Basic ${'A'.repeat(20_000)}`,
  }),
  post(
    'Basic plus client_secret',
    `grant_type=client_credentials&token=a&client_secret=${secrets.m2m}`,
    good,
  ),
  post('secret in the query', 'grant_type=client_credentials&token=a', good, `client_secret=${secrets.m2m}`),
  post('assertion without type', 'grant_type=client_credentials&token=a&client_assertion=a.b.c'),
  post(
    'assertion garbage',
    `grant_type=client_credentials&token=a&client_assertion_type=${encodeURIComponent('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')}&client_assertion=eyJ.eyJ.x`,
  ),
  {
    ...post('bad scope characters', 'grant_type=client_credentials&token=a&scope=%22%5C', good),
    tokenOnly: true,
  },
  {
    ...post('bad resource', 'grant_type=client_credentials&token=a&resource=%3A%2F%2F', good),
    tokenOnly: true,
  },
  {
    name: 'JSON body',
    init: {
      method: 'POST',
      body: '{"grant_type":"client_credentials"}',
      headers: { 'content-type': 'application/json', ...good },
    },
  },
  { name: 'no content type', init: { method: 'POST', body: 'grant_type=client_credentials', headers: good } },
  {
    name: 'multipart',
    init: {
      method: 'POST',
      body: (() => {
        const f = new FormData()
        f.set('grant_type', 'client_credentials')
        return f
      })(),
      headers: good,
    },
  },
  { name: 'GET', init: { method: 'GET', headers: good } },
  { name: 'OPTIONS', init: { method: 'OPTIONS' } },
]

for (const path of [paths.token, paths.introspection, paths.revocation]) {
  test(`${path}: every malformed request is a 4xx JSON error`, async () => {
    for (const bad of sweep) {
      if (bad.tokenOnly && path !== paths.token) continue
      const url = `${issuer}${path}${bad.query ? `?${bad.query}` : ''}`
      const response = await portico.app.request(url, bad.init)
      const label = `${bad.name} → ${response.status}`
      expect(label).toMatch(/→ 4\d\d$/)
      expect(response.headers.get('content-type') ?? '').toContain('application/json')
      const body = (await response.json()) as { error?: unknown }
      expect(typeof body.error).toBe('string')
    }
  })
}

test('the server still answers correctly after the sweep', async () => {
  expect((await portico.app.request(`${issuer}/healthz`)).status).toBe(200)
  const response = await portico.app.request(`${issuer}${paths.token}`, {
    method: 'POST',
    headers: { 'content-type': formType, ...good },
    body: 'grant_type=client_credentials',
  })
  expect(response.status).toBe(200)
})

/** One raw HTTP/1.1 request over a socket (fetch would not send a malformed Host). */
function rawRequest(port: number, head: string, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let received = ''
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      )
    })
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer')))
    socket.on('data', (chunk) => {
      received += chunk.toString()
    })
    socket.on('error', reject)
    socket.on('close', () => {
      const [statusLine = '', ...rest] = received.split('\r\n')
      resolve({
        status: Number(statusLine.split(' ')[1]),
        body: rest.join('\r\n').split('\r\n\r\n')[1] ?? '',
      })
    })
  })
}

test('a malformed Host header is 400 invalid_request, never a 5xx (RFC 9112 §3.2), with or without an issuer', async () => {
  const open = await startPortico({ config: { issuer: undefined } })
  const servers = [portico, open].map((p) =>
    Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: p.app.fetch }),
  )
  try {
    for (const server of servers) {
      for (const host of ['a b', 'evil.example/x', 'x:99999']) {
        const requests = [
          `GET /healthz HTTP/1.1\r\nHost: ${host}`,
          `GET ${paths.discovery} HTTP/1.1\r\nHost: ${host}`,
          `POST ${paths.token}?x=1 HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${formType}\r\nAuthorization: ${good.authorization}`,
        ]
        for (const head of requests) {
          const { status, body } = await rawRequest(
            Number(server.port),
            head,
            'grant_type=client_credentials',
          )
          // Where nothing depends on the Host (a fixed issuer, a parseable URL) the request is served.
          const served = host === 'x:99999' && server === servers[0] && status === 200
          if (!served) {
            expect(`${head.split('\r\n')[0]} Host: ${host} → ${status}`).toEndWith('→ 400')
            expect(JSON.parse(body).error).toBe('invalid_request')
          }
        }
      }
      const fine = await rawRequest(
        Number(server.port),
        `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${server.port}`,
      )
      expect(fine.status).toBe(200)
    }
  } finally {
    for (const server of servers) server.stop(true)
    await open.close()
  }
})
