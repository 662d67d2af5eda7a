/**
 * Discovery (OIDC Discovery §3, RFC 8414) and the JWKS, including the public origin: URLs come
 * from the configured issuer, or from the request with X-Forwarded-* believed only from
 * trusted proxies.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { basic, json, paths } from './http.ts'
import { issuer, type PorticoUnderTest, secrets, startPortico } from './portico.ts'

let portico: PorticoUnderTest
beforeAll(async () => {
  portico = await startPortico()
})
afterAll(() => portico.close())

describe('discovery document', () => {
  test('lists the issuer, every mounted endpoint under it, and what this server supports', async () => {
    const response = await portico.app.request(`${issuer}${paths.discovery}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    const doc = await json(response)
    expect(doc.issuer).toBe(issuer)
    expect(doc.token_endpoint).toBe(`${issuer}/connect/token`)
    expect(doc.introspection_endpoint).toBe(`${issuer}/connect/introspect`)
    expect(doc.revocation_endpoint).toBe(`${issuer}/connect/revocation`)
    expect(doc.jwks_uri).toBe(`${issuer}/.well-known/openid-configuration/jwks`)
    expect(doc.authorization_endpoint).toBe(`${issuer}/connect/authorize`)
    expect(doc.userinfo_endpoint).toBe(`${issuer}/connect/userinfo`)
    expect(doc.grant_types_supported).toEqual([
      'client_credentials',
      'authorization_code',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code',
    ])
    expect(doc.response_types_supported).toEqual(['code'])
    expect(doc.response_modes_supported).toEqual(['query', 'fragment', 'form_post'])
    expect(doc.code_challenge_methods_supported).toEqual(['S256'])
    expect(doc.prompt_values_supported).toEqual(['none', 'login', 'consent', 'select_account'])
    expect(doc.claims_parameter_supported).toBe(true)
    // RFC 9101 request objects by value; request_uri pointing to the client is never fetched, and
    // it defaults to true, so false is said explicitly (PAR's request_uri works regardless, RFC 9126 §5).
    expect(doc.request_parameter_supported).toBe(true)
    expect(doc.request_object_signing_alg_values_supported).toContain('ES256')
    expect(doc.request_uri_parameter_supported).toBe(false)
    expect(doc.pushed_authorization_request_endpoint).toBe(`${issuer}/connect/par`)
    expect(doc.require_pushed_authorization_requests).toBe(false)
    expect(doc.device_authorization_endpoint).toBe(`${issuer}/connect/deviceauthorization`)
    expect(doc.authorization_response_iss_parameter_supported).toBe(true)
    expect(doc.subject_types_supported).toEqual(['public'])
    expect(doc.id_token_signing_alg_values_supported).toContain('RS256')
    expect(doc.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'private_key_jwt']),
    )
    expect(doc.introspection_endpoint_auth_methods_supported).not.toContain('none')
    expect(doc.revocation_endpoint_auth_methods_supported).toBeArray()
    expect(doc.response_types_supported).toContain('code')
    expect(doc.claims_supported).toEqual(expect.arrayContaining(['sub', 'iss', 'email', 'name']))
    const scopes = doc.scopes_supported as string[]
    expect(scopes[0]).toBe('openid')
    expect(scopes).toEqual(expect.arrayContaining(['api1.read', 'api1.write', 'api2', 'profile']))
    expect(scopes).not.toContain('hidden')
    expect(scopes).not.toContain('disabled.scope')
  })

  test('only endpoints that exist are announced', async () => {
    const doc = await json(await portico.app.request(`${issuer}${paths.discovery}`))
    for (const [key, value] of Object.entries(doc)) {
      if (!key.endsWith('_endpoint') && key !== 'jwks_uri') continue
      const path = new URL(value as string).pathname
      expect(portico.app.routes.some((route) => route.path === path)).toBe(true)
    }
  })

  test('RFC 8414 metadata is the same document', async () => {
    const oidc = await json(await portico.app.request(`${issuer}${paths.discovery}`))
    const oauth = await json(await portico.app.request(`${issuer}/.well-known/oauth-authorization-server`))
    expect(oauth).toEqual(oidc)
  })

  test('the JWKS holds public signing keys only, cacheable', async () => {
    const response = await portico.app.request(`${issuer}${paths.jwks}`)
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] }
    expect(keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256'])
    for (const key of keys) {
      expect(key.use).toBe('sig')
      expect(key.kid).toBeString()
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key[secret]).toBeUndefined()
    }
  })

  test('discovery and the JWKS are read with GET only', async () => {
    const response = await portico.app.request(`${issuer}${paths.discovery}`, { method: 'POST' })
    expect(response.status).toBe(405)
    expect((await json(response)).error).toBe('invalid_request')
  })
})

describe('public origin', () => {
  test('a configured issuer wins over the Host header and X-Forwarded-*', async () => {
    const response = await portico.app.request('http://evil.example/.well-known/openid-configuration', {
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
    })
    const doc = await json(response)
    expect(doc.issuer).toBe(issuer)
    expect(JSON.stringify(doc)).not.toContain('evil.example')
  })

  test('without an issuer, the request origin is used and untrusted X-Forwarded-* is ignored', async () => {
    const open = await startPortico({ config: { issuer: undefined } })
    try {
      const doc = await json(
        await open.app.request('http://id.local:3000/.well-known/openid-configuration', {
          headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
        }),
      )
      expect(doc.issuer).toBe('http://id.local:3000')
      expect(doc.token_endpoint).toBe('http://id.local:3000/connect/token')
    } finally {
      await open.close()
    }
  })

  test('with allowedHosts, a listed Host is the issuer and any other is 400 invalid_request', async () => {
    const listed = await startPortico({ config: { issuer: undefined, allowedHosts: ['id.local:3000'] } })
    try {
      const ok = await listed.app.request('http://id.local:3000/.well-known/openid-configuration')
      expect((await json(ok)).issuer).toBe('http://id.local:3000')
      const evil = await listed.app.request('http://evil.example/.well-known/openid-configuration')
      expect(evil.status).toBe(400)
      expect((await json(evil)).error).toBe('invalid_request')
    } finally {
      await listed.close()
    }
  })

  test('X-Forwarded-Host/Proto are honoured from a trusted proxy only (over a real port)', async () => {
    const trusting = await startPortico({ config: { issuer: undefined, trustProxy: ['127.0.0.1'] } })
    const distrusting = await startPortico({ config: { issuer: undefined, trustProxy: ['10.0.0.1'] } })
    const servers = [trusting, distrusting].map((p) =>
      Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: p.app.fetch }),
    )
    try {
      const headers = { 'x-forwarded-host': 'id.example.com', 'x-forwarded-proto': 'https' }
      const [trusted, untrusted] = await Promise.all(
        servers.map(async (s) =>
          json(await fetch(`http://127.0.0.1:${s.port}${paths.discovery}`, { headers })),
        ),
      )
      expect(trusted!.issuer).toBe('https://id.example.com')
      expect(untrusted!.issuer).toBe(`http://127.0.0.1:${servers[1]!.port}`)
    } finally {
      for (const s of servers) s.stop(true)
      await trusting.close()
      await distrusting.close()
    }
  })
})

test('over a real port: discovery → token → verify with the remote JWKS, as an RP does', async () => {
  const open = await startPortico({ config: { issuer: undefined } })
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: open.app.fetch })
  try {
    const base = `http://127.0.0.1:${server.port}`
    const doc = await json(await fetch(`${base}${paths.discovery}`))
    expect(doc.issuer).toBe(base)
    const response = await fetch(doc.token_endpoint as string, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic('m2m', secrets.m2m),
      },
      body: 'grant_type=client_credentials&scope=api1.read',
    })
    expect(response.status).toBe(200)
    const { access_token } = await json(response)
    const { payload } = await jwtVerify(
      access_token as string,
      createRemoteJWKSet(new URL(doc.jwks_uri as string)),
      {
        issuer: base,
        audience: 'https://api.example.com',
        typ: 'at+jwt',
        currentDate: new Date(open.clock.now()),
      },
    )
    expect(payload.client_id).toBe('m2m')
  } finally {
    server.stop(true)
    await open.close()
  }
})
