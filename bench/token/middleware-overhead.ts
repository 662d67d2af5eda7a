/**
 * `bun bench/token/middleware-overhead.ts`: Portico's per-request cost in process, without the
 * network: `app.fetch` of client_credentials ES256 (memory store), discovery and the JWKS, with
 * the request log line written to a discarding sink (as `log.level` info builds it), against a
 * bare Hono app answering the same bytes. Prints the CPU time per call (median of rounds), the
 * steadiest figure on a shared machine. PORTICO_OVERHEAD_CALLS (default 20,000) per round,
 * PORTICO_OVERHEAD_ROUNDS (default 5).
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { systemClock } from '../../core/clock.ts'
import { parseConfig } from '../../server/config/load.ts'
import { createLogger } from '../../server/logging/logger.ts'
import { assemblePortico } from '../../server/start.ts'

const calls = Number(process.env.PORTICO_OVERHEAD_CALLS ?? 20_000)
const rounds = Number(process.env.PORTICO_OVERHEAD_ROUNDS ?? 5)
const issuer = 'http://127.0.0.1:4999'
const secret = 'bench-secret-0123456789'
/** PORTICO_OVERHEAD_ONLY=discovery|jwks|token: those alone (for a profile of one path). */
const only = process.env.PORTICO_OVERHEAD_ONLY

const config = parseConfig(
  {
    issuer,
    store: 'memory:',
    keySecret: randomBytes(32).toString('base64url'),
    signing: { accessTokenAlgorithm: 'ES256' },
    seed: {
      apiScopes: [{ name: 'api1' }],
      apiResources: [{ name: 'https://api.example.com', scopes: ['api1'] }],
      clients: [
        {
          clientId: 'bench',
          clientSecrets: [{ value: secret }],
          allowedGrantTypes: ['client_credentials'],
          allowedScopes: ['api1'],
        },
      ],
    },
  },
  { baseDir: import.meta.dir },
)
let logged = 0
const logger = createLogger({
  level: 'info',
  write: (line) => {
    logged += line.length
  },
})
const portico = await assemblePortico(config, { logger, clock: systemClock })

const basic = `Basic ${Buffer.from(`bench:${secret}`).toString('base64')}`
const tokenRequest = () =>
  new Request(`${issuer}/connect/token`, {
    method: 'POST',
    headers: {
      host: '127.0.0.1:4999',
      authorization: basic,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': '29',
    },
    body: 'grant_type=client_credentials',
  })
const get = (path: string) => () => new Request(`${issuer}${path}`, { headers: { host: '127.0.0.1:4999' } })

// The bare twin: the same bytes through hono, no middleware.
const discoveryBody = await (await portico.app.fetch(get('/.well-known/openid-configuration')())).text()
const bare = new Hono()
bare.get('/doc', (c) => c.body(discoveryBody, 200, { 'Content-Type': 'application/json' }))

async function measure(
  name: string,
  app: { fetch: (r: Request) => Response | Promise<Response> },
  make: () => Request,
) {
  if (only && !name.toLowerCase().includes(only)) return
  const perCall: number[] = []
  for (let round = 0; round < rounds; round++) {
    const requests = Array.from({ length: calls }, make)
    const before = process.cpuUsage()
    for (const request of requests) {
      const response = await app.fetch(request)
      if (response.status !== 200) throw new Error(`${name}: ${response.status} ${await response.text()}`)
      await response.arrayBuffer()
    }
    const used = process.cpuUsage(before)
    perCall.push((used.user + used.system) / calls)
  }
  perCall.sort((a, b) => a - b)
  console.log(
    `${name.padEnd(34)} median ${perCall[Math.floor(rounds / 2)]!.toFixed(2)} µs/call (min ${perCall[0]!.toFixed(2)})`,
  )
}

const app = { fetch: (request: Request) => portico.app.fetch(request) }
await measure('bare hono, same discovery bytes', bare, get('/doc'))
await measure('Portico discovery', app, get('/.well-known/openid-configuration'))
await measure('Portico JWKS', app, get('/.well-known/openid-configuration/jwks'))
await measure('Portico token, client_credentials ES256', app, tokenRequest)
console.log(`(${logged} bytes of request lines built)`)
await portico.close()
