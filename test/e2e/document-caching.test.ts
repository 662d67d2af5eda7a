/**
 * Discovery and the JWKS answered like static files: a strong ETag per document, 304 to a
 * revalidation that names it (RFC 9110 §13.1.2, §15.4.5), public caching for five minutes, and a
 * new ETag and body as soon as the document changes (a rotated key, a changed configuration).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { paths } from './http.ts'
import { issuer, type PorticoUnderTest, startPortico } from './portico.ts'

let portico: PorticoUnderTest
beforeAll(async () => {
  portico = await startPortico()
})
afterAll(() => portico.close())

const get = (path: string, headers: Record<string, string> = {}) =>
  Promise.resolve(portico.app.request(`${issuer}${path}`, { headers }))

describe.each([
  ['discovery', paths.discovery],
  ['JWKS', paths.jwks],
])('%s', (_name, path) => {
  test('carries a strong ETag, the same for the same bytes, with public caching', async () => {
    const first = await get(path)
    const second = await get(path)
    const etag = first.headers.get('etag')
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/)
    expect(second.headers.get('etag')).toBe(etag)
    expect(await second.text()).toBe(await first.text())
    expect(first.headers.get('cache-control')).toBe('public, max-age=300')
    expect(first.headers.get('content-type')).toBe('application/json')
    expect(first.headers.get('access-control-allow-origin')).toBe('*')
    expect(first.headers.get('x-request-id')).toBeString()
  })

  test('If-None-Match with the ETag (alone, in a list, weak or *) is 304 without a body', async () => {
    const etag = (await get(path)).headers.get('etag')!
    for (const condition of [etag, `"other", ${etag}`, `W/${etag}`, '*']) {
      const response = await get(path, { 'if-none-match': condition })
      expect(response.status).toBe(304)
      expect(await response.text()).toBe('')
      expect(response.headers.get('etag')).toBe(etag)
      expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    }
  })

  test('If-None-Match with another ETag gets the document', async () => {
    const response = await get(path, { 'if-none-match': '"stale"' })
    expect(response.status).toBe(200)
    expect(((await response.json()) as object) instanceof Object).toBe(true)
  })
})

test('a rotated key changes the JWKS and its ETag at once; the old ETag then gets 200', async () => {
  const before = await get(paths.jwks)
  const etag = before.headers.get('etag')!
  const kidsBefore = ((await before.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid)
  const created = await portico.keyRing.rotate()
  expect(created.length).toBeGreaterThan(0)
  const after = await get(paths.jwks, { 'if-none-match': etag })
  expect(after.status).toBe(200)
  expect(after.headers.get('etag')).not.toBe(etag)
  const kidsAfter = ((await after.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid)
  for (const kid of created) expect(kidsAfter).toContain(kid)
  for (const kid of kidsBefore) expect(kidsAfter).toContain(kid)
})

test('a scope added to the configuration changes discovery and its ETag', async () => {
  const before = await get(paths.discovery)
  const etag = before.headers.get('etag')!
  await portico.stores.configuration.resources.upsertApiScope({
    name: 'api3.read',
    enabled: true,
    showInDiscoveryDocument: true,
    userClaims: [],
    properties: {},
    required: false,
    emphasize: false,
  })
  // Past the configuration cache's TTL (cache.ttlSeconds, 60 by default).
  portico.clock.advance(61_000)
  const after = await get(paths.discovery, { 'if-none-match': etag })
  expect(after.status).toBe(200)
  expect(after.headers.get('etag')).not.toBe(etag)
  expect(((await after.json()) as { scopes_supported: string[] }).scopes_supported).toContain('api3.read')
})
