/**
 * Brute-force protection counts failures per client and client address. Behind a trusted proxy
 * every request comes from the proxy's socket, so the address is the one the proxy forwards
 * (X-Forwarded-For); otherwise one guesser would lock the client out for everyone.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { basic, paths } from './http.ts'
import { type PorticoUnderTest, secrets, startPortico } from './portico.ts'

let trusting: PorticoUnderTest
let distrusting: PorticoUnderTest
const servers: ReturnType<typeof Bun.serve>[] = []
beforeAll(async () => {
  // The test's requests come from 127.0.0.1: a trusted proxy for one, a stranger for the other.
  trusting = await startPortico({ config: { trustProxy: ['127.0.0.1'] } })
  distrusting = await startPortico({ config: { trustProxy: ['10.0.0.1'] } })
  for (const portico of [trusting, distrusting]) {
    servers.push(Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: portico.app.fetch }))
  }
})
afterAll(async () => {
  for (const server of servers) server.stop(true)
  await trusting.close()
  await distrusting.close()
})

function token(server: ReturnType<typeof Bun.serve>, secret: string, forwardedFor: string) {
  return fetch(`http://127.0.0.1:${server.port}${paths.token}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic('other', secret),
      'x-forwarded-for': forwardedFor,
    },
    body: 'grant_type=client_credentials',
  })
}

test('behind a trusted proxy, a guesser is throttled and another client address is not', async () => {
  const [server] = servers
  for (let i = 0; i < 6; i++) await token(server!, 'guess', '203.0.113.9')
  const guesser = await token(server!, secrets.other, '203.0.113.9')
  expect(guesser.status).toBe(401)
  expect(Number(guesser.headers.get('retry-after'))).toBeGreaterThan(0)
  // The legitimate client comes through the same proxy from its own address.
  expect((await token(server!, secrets.other, '198.51.100.7, 127.0.0.1')).status).toBe(200)
})

test('from an untrusted peer X-Forwarded-For is ignored, so rotating it does not evade the throttle', async () => {
  const [, server] = servers
  for (let i = 0; i < 6; i++) await token(server!, 'guess', `203.0.113.${i}`)
  const rotated = await token(server!, secrets.other, '198.51.100.7')
  expect(rotated.status).toBe(401)
  expect(Number(rotated.headers.get('retry-after'))).toBeGreaterThan(0)
})
