/**
 * CORS for browser clients: the token, userinfo and revocation endpoints answer origins some
 * enabled client lists in `allowedCorsOrigins`; discovery and the JWKS any origin; every other
 * path none. The allowed origins come from the configuration cache (one client list per TTL).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { clientDefaults } from '../../core/models/client.ts'
import { hashSecret } from '../../core/models/secret.ts'
import { basic, form, paths } from './http.ts'
import { issuer, type PorticoUnderTest, startPortico } from './portico.ts'

const spa = 'https://spa.example.com'
const secret = 'spa-secret-0123456789'

let portico: PorticoUnderTest
beforeAll(async () => {
  portico = await startPortico()
  const clients = portico.stores.configuration.clients
  await clients.upsert({
    ...clientDefaults,
    clientId: 'spa',
    clientSecrets: [{ type: 'SharedSecret', value: hashSecret(secret) }],
    allowedGrantTypes: ['client_credentials'],
    allowedScopes: ['api1.read'],
    // A trailing slash is the same origin; an entry with a path is no origin and never matches.
    allowedCorsOrigins: [`${spa}/`, 'https://pathy.example.com/app'],
  })
  await clients.upsert({
    ...clientDefaults,
    clientId: 'off',
    enabled: false,
    allowedCorsOrigins: ['https://disabled.example.com'],
  })
})
afterAll(() => portico.close())

function preflight(path: string, origin: string, method = 'POST'): Promise<Response> {
  return Promise.resolve(
    portico.app.request(`${issuer}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': 'authorization, content-type',
      },
    }),
  )
}

function corsHeaders(response: Response): string[] {
  return [...response.headers.keys()].filter((name) => name.startsWith('access-control-'))
}

describe('token, userinfo and revocation', () => {
  test('a preflight from a listed origin is allowed, with the methods and headers a client sends', async () => {
    for (const [path, methods] of [
      [paths.token, 'POST'],
      [paths.revocation, 'POST'],
      ['/connect/userinfo', 'GET,POST'],
    ] as const) {
      const response = await preflight(path, spa)
      expect(response.status).toBe(204)
      expect(response.headers.get('access-control-allow-origin')).toBe(spa)
      expect(response.headers.get('access-control-allow-methods')).toBe(methods)
      expect(response.headers.get('access-control-allow-headers')).toBe('Authorization,Content-Type,DPoP')
      expect(response.headers.get('access-control-max-age')).toBe('600')
      expect(response.headers.get('vary')).toContain('Origin')
    }
  })

  test('a preflight from any other origin is refused: the endpoint’s 405, no CORS headers', async () => {
    for (const origin of [
      'https://evil.example',
      'https://disabled.example.com',
      'https://pathy.example.com',
      'null',
    ]) {
      const response = await preflight(paths.token, origin)
      expect(response.status).toBe(405)
      expect(corsHeaders(response)).toEqual([])
    }
  })

  test('the actual request from a listed origin can be read, errors included; others get no ACAO', async () => {
    const ok = await form(
      portico,
      paths.token,
      { grant_type: 'client_credentials', scope: 'api1.read' },
      { authorization: basic('spa', secret), origin: spa },
    )
    expect(ok.status).toBe(200)
    expect(ok.headers.get('access-control-allow-origin')).toBe(spa)
    expect(ok.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate,DPoP-Nonce')
    expect(ok.headers.get('vary')).toContain('Origin')

    // A client error must reach the script too, or it cannot tell a bad secret from a network failure.
    const refused = await form(
      portico,
      paths.token,
      { grant_type: 'client_credentials' },
      { authorization: basic('spa', 'wrong-secret-0123456789'), origin: spa },
    )
    expect(refused.status).toBe(401)
    expect(refused.headers.get('access-control-allow-origin')).toBe(spa)

    const elsewhere = await form(
      portico,
      paths.token,
      { grant_type: 'client_credentials', scope: 'api1.read' },
      { authorization: basic('spa', secret), origin: 'https://evil.example' },
    )
    expect(elsewhere.status).toBe(200)
    expect(corsHeaders(elsewhere)).toEqual([])
  })

  test('an origin added to a client is allowed once the configuration cache TTL has passed', async () => {
    const late = 'https://late.example.com'
    expect((await preflight(paths.token, late)).headers.get('access-control-allow-origin')).toBeNull()
    await portico.stores.configuration.clients.upsert({
      ...clientDefaults,
      clientId: 'late',
      allowedCorsOrigins: [late],
    })
    // Cached: no store call per request, so not yet.
    expect((await preflight(paths.token, late)).headers.get('access-control-allow-origin')).toBeNull()
    portico.clock.advance((portico.config.cache.ttlSeconds + 1) * 1000)
    expect((await preflight(paths.token, late)).headers.get('access-control-allow-origin')).toBe(late)
  })
})

describe('public documents and everything else', () => {
  test('discovery and the JWKS allow any origin', async () => {
    for (const path of [paths.discovery, '/.well-known/oauth-authorization-server', paths.jwks]) {
      const response = await portico.app.request(`${issuer}${path}`, {
        headers: { origin: 'https://any.example' },
      })
      expect(response.status).toBe(200)
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      const options = await preflight(path, 'https://any.example', 'GET')
      expect(options.headers.get('access-control-allow-origin')).toBe('*')
    }
  })

  test('introspection, authorize and health send no CORS headers, even to a listed origin', async () => {
    const introspect = await form(portico, paths.introspection, { token: 'x' }, { origin: spa })
    const authorize = await portico.app.request(`${issuer}/connect/authorize?client_id=spa`, {
      headers: { origin: spa },
    })
    const health = await portico.app.request(`${issuer}/healthz`, { headers: { origin: spa } })
    const introspectPreflight = await preflight(paths.introspection, spa)
    for (const response of [introspect, authorize, health, introspectPreflight]) {
      expect(corsHeaders(response)).toEqual([])
    }
  })
})
