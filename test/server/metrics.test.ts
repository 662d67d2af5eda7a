import { afterEach, describe, expect, test } from 'bun:test'
import { Registry } from 'prom-client'
import { systemClock } from '../../core/clock.ts'
import { parseConfig } from '../../server/config/load.ts'
import { ConfigError } from '../../server/config/problems.ts'
import { createLogger } from '../../server/logging/logger.ts'
import { type RunningPortico, startPortico } from '../../server/start.ts'

const secret = 'm2m-secret-0123456789'
const seed = {
  apiScopes: [{ name: 'api1' }],
  apiResources: [{ name: 'https://api.example.com', scopes: ['api1'] }],
  clients: [
    {
      clientId: 'm2m',
      clientSecrets: [{ value: secret }],
      allowedGrantTypes: ['client_credentials'],
      allowedScopes: ['api1'],
    },
  ],
}

const running: RunningPortico[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((portico) => portico.shutdown()))
})

async function start(raw: Record<string, unknown> = {}) {
  const config = parseConfig(
    { port: 0, hostname: '127.0.0.1', store: 'memory:', issuer: 'http://127.0.0.1', seed, ...raw },
    { baseDir: import.meta.dir },
  )
  const lines: string[] = []
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) })
  const portico = await startPortico(config, { logger, clock: systemClock })
  running.push(portico)
  return portico
}

function tokenRequest(portico: RunningPortico, clientSecret: string): Promise<Response> {
  return fetch(new URL('/connect/token', portico.url), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${btoa(`m2m:${clientSecret}`)}`,
    },
    body: 'grant_type=client_credentials&scope=api1',
  })
}

/** Samples of the text exposition format: `name{label="value",…} value`, comments skipped. */
function parse(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
      if (!match) throw new Error(`not a sample line: ${line}`)
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [
          m[1]!,
          m[2]!,
        ]),
      )
      return { name: match[1]!, labels, value: Number(match[3]) }
    })
}

/** The sum of the samples named `name` whose labels include `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  return parse(text)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0)
}

async function scrape(url: URL, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { headers })
  expect(response.status).toBe(200)
  return response.text()
}

describe('GET /metrics', () => {
  test('is not served unless metrics are enabled', async () => {
    const portico = await start()
    const response = await fetch(new URL('/metrics', portico.url))
    expect(response.status).toBe(404)
  })

  test('answers in Prometheus text format; token, failed authentication, HTTP, store and key ring series move', async () => {
    const portico = await start({ metrics: { enabled: true } })
    const url = new URL('/metrics', portico.url)
    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(Registry.PROMETHEUS_CONTENT_TYPE)
    const before = await response.text()
    expect(sample(before, 'portico_tokens_issued_total', { grant_type: 'client_credentials' })).toBe(0)

    expect((await tokenRequest(portico, secret)).status).toBe(200)
    expect((await tokenRequest(portico, 'wrong-secret-0123456789')).status).toBe(401)
    const after = await scrape(url)

    expect(sample(after, 'portico_tokens_issued_total', { grant_type: 'client_credentials' })).toBe(1)
    expect(
      sample(after, 'portico_client_authentication_failures_total', { method: 'client_secret_basic' }),
    ).toBe(1)
    // By the route's pattern and status.
    const token = { method: 'POST', route: '/connect/token' }
    expect(sample(after, 'portico_http_request_duration_seconds_count', { ...token, status: '200' })).toBe(1)
    expect(sample(after, 'portico_http_request_duration_seconds_count', { ...token, status: '401' })).toBe(1)
    expect(sample(after, 'portico_http_request_duration_seconds_count', { ...token, status: '200' })).toBe(1)
    // A path no route matches is one series, whatever the path.
    await fetch(new URL('/no/such/path-1', portico.url))
    await fetch(new URL('/no/such/path-2', portico.url))
    const unmatched = await scrape(url)
    expect(
      sample(unmatched, 'portico_http_request_duration_seconds_count', { route: 'unmatched', status: '404' }),
    ).toBe(2)
    expect(unmatched).not.toContain('path-1')
    // The client lookup went through the configuration store (memory plugin).
    expect(
      sample(after, 'portico_store_call_duration_seconds_count', {
        role: 'configuration',
        plugin: 'memory',
        store: 'clients',
      }),
    ).toBeGreaterThan(0)
    expect(sample(after, 'portico_key_ring_refreshes_total', { outcome: 'success' })).toBeGreaterThan(0)
    // The empty store got its first keys from this instance.
    expect(sample(after, 'portico_key_ring_keys_created_total', { use: 'signing', alg: 'ES256' })).toBe(1)
  })

  test('a store call that rejects is counted by role, plugin, store and operation', async () => {
    const portico = await start({ metrics: { enabled: true } })
    // A closed store rejects every call (StoreUnavailableError), as during an outage.
    for (const { instance } of portico.deps.instances) await instance.close()
    const response = await fetch(new URL('/connect/token', portico.url), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${btoa('not-cached:some-secret-0123456789')}`,
      },
      body: 'grant_type=client_credentials',
    })
    expect(response.status).toBe(503)
    const text = await scrape(new URL('/metrics', portico.url))
    const lookup = { role: 'configuration', plugin: 'memory', store: 'clients', operation: 'findClientById' }
    expect(sample(text, 'portico_store_call_errors_total', lookup)).toBe(1)
    expect(sample(text, 'portico_store_call_duration_seconds_count', lookup)).toBeGreaterThanOrEqual(1)
  })

  test('with metrics.bearerToken, a scrape without the token or with another gets 401', async () => {
    const portico = await start({ metrics: { enabled: true, bearerToken: 'scrape-token-0123456789' } })
    const url = new URL('/metrics', portico.url)
    const missing = await fetch(url)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toContain('Bearer')
    expect((await fetch(url, { headers: { Authorization: 'Bearer other-token-0123456789' } })).status).toBe(
      401,
    )
    // Another scheme carries no bearer token: 401 as well, not 400.
    const basic = await fetch(url, {
      headers: { Authorization: `Basic ${btoa('prometheus:scrape-token-0123456789')}` },
    })
    expect(basic.status).toBe(401)
    expect(basic.headers.get('www-authenticate')).toBe('Bearer realm="metrics"')
    const text = await scrape(url, { Authorization: 'Bearer scrape-token-0123456789' })
    expect(text).toContain('portico_http_request_duration_seconds_count')
  })

  test('with metrics.port, its own listener serves /metrics and the main one does not', async () => {
    const portico = await start({ metrics: { enabled: true, port: 0 } })
    expect(portico.metricsUrl).toBeDefined()
    expect(portico.metricsUrl!.port).not.toBe(portico.url.port)
    expect((await fetch(new URL('/metrics', portico.url))).status).toBe(404)
    expect((await tokenRequest(portico, secret)).status).toBe(200)
    const text = await scrape(portico.metricsUrl!)
    expect(sample(text, 'portico_tokens_issued_total', { grant_type: 'client_credentials' })).toBe(1)
    await portico.shutdown()
    // Closed with the server.
    expect(
      await fetch(portico.metricsUrl!).then(
        () => 'answered',
        () => 'refused',
      ),
    ).toBe('refused')
  })

  test('two apps in one process count apart', async () => {
    const one = await start({ metrics: { enabled: true } })
    const two = await start({ metrics: { enabled: true } })
    expect((await tokenRequest(one, secret)).status).toBe(200)
    const counted = (text: string) =>
      sample(text, 'portico_tokens_issued_total', { grant_type: 'client_credentials' })
    expect(counted(await scrape(new URL('/metrics', one.url)))).toBe(1)
    expect(counted(await scrape(new URL('/metrics', two.url)))).toBe(0)
  })

  test('metrics.port must differ from the main port; unknown metrics keys are refused', () => {
    const parse = (metrics: Record<string, unknown>) =>
      parseConfig({ store: 'memory:', port: 4100, metrics }, { baseDir: import.meta.dir })
    expect(() => parse({ enabled: true, port: 4100 })).toThrow(ConfigError)
    expect(() => parse({ enabled: true, path: '/m' })).toThrow(ConfigError)
    expect(parse({ enabled: true, port: 4101 }).metrics).toEqual({ enabled: true, port: 4101 })
    expect(parse({}).metrics).toEqual({ enabled: false })
  })
})
