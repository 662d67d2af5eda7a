import { afterEach, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { OAuthError } from '../../core/protocol/errors.ts'
import { StoreUnavailableError } from '../../core/stores/errors.ts'
import { buildApp } from './fixtures/app.ts'

const controlled = join(import.meta.dir, 'fixtures/plugins/controlled.ts')
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function app(raw: Record<string, unknown> = {}) {
  const built = await buildApp(raw)
  closers.push(built.close)
  return built
}

describe('GET /healthz and /readyz', () => {
  test('both answer 200 while every store is healthy', async () => {
    const { app: portico } = await app()
    const health = await portico.request('/healthz')
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    const ready = await portico.request('/readyz')
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready' })
    expect(ready.headers.get('cache-control')).toBe('no-store')
  })

  test('/readyz names the role, the plugin and a common reason: connection refused', async () => {
    const { app: portico } = await app({
      stores: { operational: { plugin: controlled, options: { healthFails: 'refused' } } },
    })
    const ready = await portico.request('/readyz')
    expect(ready.status).toBe(503)
    const body = await ready.text()
    expect(JSON.parse(body)).toEqual({
      status: 'unavailable',
      failed: [{ roles: ['operational'], plugin: controlled, reason: 'connection refused' }],
    })
    expect(body).not.toContain('10.1.2.3')
  })

  test('/readyz is 503 naming the failed store, without its error text', async () => {
    const { app: portico, lines } = await app({
      stores: { operational: { plugin: controlled, options: { healthFails: true } } },
    })
    const ready = await portico.request('/readyz')
    expect(ready.status).toBe(503)
    const body = await ready.text()
    expect(JSON.parse(body)).toEqual({
      status: 'unavailable',
      failed: [{ roles: ['operational'], plugin: controlled, reason: 'unavailable' }],
    })
    expect(body).not.toContain('10.1.2.3')
    expect(body).not.toContain('hunter2')
    // The operator still learns why, from the log, with the password redacted.
    const logged = lines.find((line) => line.includes('store.unhealthy'))!
    expect(logged).toContain('10.1.2.3')
    expect(logged).not.toContain('hunter2')
    // Liveness does not depend on the stores.
    expect((await portico.request('/healthz')).status).toBe(200)
  })

  test('/readyz gives a store 1 s to answer', async () => {
    const { app: portico } = await app({
      stores: { keys: { plugin: controlled, options: { healthDelayMs: 3000 } } },
    })
    const started = performance.now()
    const ready = await portico.request('/readyz')
    expect(performance.now() - started).toBeLessThan(2500)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toEqual({
      status: 'unavailable',
      failed: [{ roles: ['keys'], plugin: controlled, reason: 'timed out after 1000 ms' }],
    })
  })
})

describe('error responses', () => {
  test('OAuthError becomes RFC 6749 §5.2 JSON with its status and headers', async () => {
    const { app: portico } = await app()
    portico.get('/test/oauth', () => {
      throw new OAuthError('invalid_client', 'client authentication failed', 401, {
        'WWW-Authenticate': 'Basic realm="portico"',
      })
    })
    const response = await portico.request('/test/oauth')
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="portico"')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toEqual({
      error: 'invalid_client',
      error_description: 'client authentication failed',
    })
  })

  test('an unreachable store becomes 503 temporarily_unavailable', async () => {
    const { app: portico } = await app()
    portico.get('/test/store', () => {
      throw new StoreUnavailableError('redis', { cause: new Error('connect ECONNREFUSED 10.0.0.9:6379') })
    })
    const response = await portico.request('/test/store')
    expect(response.status).toBe(503)
    const body = (await response.json()) as { error: string }
    expect(body.error).toBe('temporarily_unavailable')
    expect(JSON.stringify(body)).not.toContain('10.0.0.9')
  })

  test('anything else is 500 server_error without internals, and is logged', async () => {
    const { app: portico, lines } = await app()
    portico.get('/test/bug', () => {
      throw new TypeError('cannot read properties of undefined (reading "secretSauce")')
    })
    const response = await portico.request('/test/bug', { headers: { 'X-Request-Id': 'req-500' } })
    expect(response.status).toBe(500)
    const body = await response.text()
    expect(JSON.parse(body)).toEqual({ error: 'server_error', error_description: 'internal error' })
    expect(body).not.toContain('secretSauce')
    const logged = lines.map((line) => JSON.parse(line)).find((line) => line.event === 'request.failed')
    expect(logged.request_id).toBe('req-500')
    expect(logged.error.message).toContain('secretSauce')
  })

  test('a browser gets the HTML error page instead of JSON', async () => {
    const { app: portico } = await app()
    portico.get('/test/page', () => {
      throw new Error('boom')
    })
    const response = await portico.request('/test/page', { headers: { Accept: 'text/html' } })
    expect(response.status).toBe(500)
    expect(response.headers.get('content-type')).toContain('text/html')
    const html = await response.text()
    expect(html).toContain('<h1>Something went wrong</h1>')
    expect(html).not.toContain('boom')
  })
})

describe('unknown paths', () => {
  test('an unknown path is a 404: JSON for clients, a page for browsers', async () => {
    const { app: portico } = await app()
    const json = await portico.request('/no/such/thing')
    expect(json.status).toBe(404)
    expect(await json.json()).toEqual({ error: 'not_found' })
    const page = await portico.request('/no/such/thing', { headers: { Accept: 'text/html,*/*' } })
    expect(page.status).toBe(404)
    expect(await page.text()).toContain('<h1>Page not found</h1>')
  })
})

describe('public origin', () => {
  test('a configured issuer wins over the Host header; forwarded headers count only from trusted proxies', async () => {
    const fixed = await app({ issuer: 'https://id.example.com/' })
    fixed.app.get('/test/issuer', (c) => c.text(c.var.issuer))
    const pinned = await fixed.app.request('http://evil.example/test/issuer', {
      headers: { 'X-Forwarded-Host': 'evil.example' },
    })
    expect(await pinned.text()).toBe('https://id.example.com')

    const fromRequest = await app({ trustProxy: ['10.0.0.1'] })
    fromRequest.app.get('/test/issuer', (c) => c.text(c.var.issuer))
    // No socket peer here, so no proxy is trusted: the request's own origin is used.
    const direct = await fromRequest.app.request('http://localhost:3000/test/issuer', {
      headers: { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' },
    })
    expect(await direct.text()).toBe('http://localhost:3000')
  })
})

describe('request ids', () => {
  test('a well-formed X-Request-Id is kept; otherwise one is made', async () => {
    const { app: portico } = await app()
    const kept = await portico.request('/healthz', { headers: { 'X-Request-Id': 'lb-1234' } })
    expect(kept.headers.get('x-request-id')).toBe('lb-1234')
    const made = await portico.request('/healthz', { headers: { 'X-Request-Id': 'bad id\twith spaces' } })
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})
