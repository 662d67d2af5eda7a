/**
 * A store outage met by a browser: the login or consent form posted meanwhile gets a page
 * saying to try again (503, Retry-After), in the page's language, not the JSON a client gets.
 */
import { afterEach, expect, test } from 'bun:test'
import { StoreUnavailableError } from '../../core/stores/errors.ts'
import { buildApp } from './fixtures/app.ts'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function appThatLosesItsStore() {
  const built = await buildApp({})
  closers.push(built.close)
  built.app.post('/test/form', () => {
    throw new StoreUnavailableError('redis', { cause: new Error('connect ECONNREFUSED 10.0.0.9:6379') })
  })
  return built.app
}

test('a browser gets a 503 page with Retry-After; a client still gets temporarily_unavailable JSON', async () => {
  const app = await appThatLosesItsStore()
  const page = await app.request('/test/form', {
    method: 'POST',
    headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8', 'accept-language': 'de' },
  })
  expect(page.status).toBe(503)
  expect(page.headers.get('content-type')).toStartWith('text/html')
  expect(page.headers.get('retry-after')).toBe('5')
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
  const html = await page.text()
  expect(html).toContain('Vorübergehend nicht verfügbar')
  expect(html).toContain('temporarily_unavailable')
  expect(html).not.toContain('ECONNREFUSED')

  const json = await app.request('/test/form', { method: 'POST', headers: { accept: 'application/json' } })
  expect(json.status).toBe(503)
  expect(json.headers.get('retry-after')).toBe('5')
  expect(await json.json()).toMatchObject({ error: 'temporarily_unavailable' })
})
