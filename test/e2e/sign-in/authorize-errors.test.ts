/**
 * The authorize endpoint's refusals (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6): while the client
 * or redirect URI is untrusted, an HTML page and no redirect of any kind; after that, every
 * error goes to the redirect URI with error, error_description, state and iss.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { rp } from './seed.ts'
import { type SignInServer, startSignInServer } from './server.ts'
import { UserAgent } from './user-agent.ts'

let server: SignInServer
beforeAll(async () => {
  server = await startSignInServer()
}, 30_000)
afterAll(() => server.close())

const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSW_cwXs'
const valid = () => ({
  client_id: rp.web.clientId,
  redirect_uri: rp.web.redirectUri,
  response_type: 'code',
  scope: 'openid profile',
  state: 'st<a>te"1',
  nonce: 'n-1',
  code_challenge: challenge,
  code_challenge_method: 'S256',
})

function authorize(params: Record<string, string> | URLSearchParams, init?: RequestInit) {
  const query = params instanceof URLSearchParams ? params : new URLSearchParams(params)
  return fetch(`${server.issuer}/connect/authorize?${query}`, { redirect: 'manual', ...init })
}

/** The error sent back to the redirect URI, read from the Location header. */
function redirectedError(response: Response, redirectUri: string = rp.web.redirectUri) {
  expect(response.status).toBe(302)
  const location = response.headers.get('location')!
  expect(location.startsWith(`${redirectUri}?`)).toBe(true)
  return Object.fromEntries(new URL(location).searchParams)
}

async function expectErrorPage(response: Response) {
  expect(response.status).toBe(400)
  expect(response.headers.get('location')).toBeNull()
  expect(response.headers.get('content-type')).toContain('text/html')
  const html = await response.text()
  expect(html).not.toContain('http-equiv')
  expect(html).not.toContain('<form')
  expect(html).not.toContain('example.test/cb')
  return html
}

describe('before the redirect URI is trusted: an error page, never a redirect', () => {
  test('unknown or missing client', async () => {
    await expectErrorPage(await authorize({ ...valid(), client_id: 'nobody' }))
    const { client_id: _, ...rest } = valid()
    await expectErrorPage(await authorize(rest))
  })

  // RFC 9101 / RFC 9126: the redirect URI inside an object or a pushed request is not yet trusted.
  test('an unsigned request object or a request_uri not from the PAR endpoint', async () => {
    const html = await expectErrorPage(await authorize({ ...valid(), request: 'eyJhbGciOiJub25lIn0.e30.' }))
    expect(html).toContain('invalid_request_object')
    const uri = 'https://rp.example.test/request.jwt'
    expect(await expectErrorPage(await authorize({ ...valid(), request_uri: uri }))).toContain(
      'invalid_request_uri',
    )
  })

  test('a client_id sent twice', async () => {
    const params = new URLSearchParams(valid())
    params.append('client_id', rp.other.clientId)
    await expectErrorPage(await authorize(params))
  })

  const lookAlikes = [
    'http://127.0.0.1:4999/cb/',
    'http://127.0.0.1:4999/CB',
    'HTTP://127.0.0.1:4999/cb',
    'http://127.0.0.1:4999/cb?x=1',
    'http://127.0.0.1:4999/cb#frag',
    'http://127.0.0.1:4998/cb',
    'http://localhost:4999/cb',
    'http://127.0.0.1:4999/cb/../cb',
    'http://127.0.0.1:4999/cb%2f..',
    'http://127.0.0.1:4999@evil.example/cb',
    '//evil.example/cb',
    'javascript:alert(1)//http://127.0.0.1:4999/cb',
    'https://evil.example/cb',
  ]
  for (const redirectUri of lookAlikes) {
    test(`redirect_uri ${redirectUri} is not the registered one`, async () => {
      const html = await expectErrorPage(await authorize({ ...valid(), redirect_uri: redirectUri }))
      expect(html).toContain('invalid_request')
    })
  }

  test('a missing redirect_uri', async () => {
    const { redirect_uri: _, ...rest } = valid()
    await expectErrorPage(await authorize(rest))
  })

  test('the error page escapes what it shows and sends the page security headers', async () => {
    const response = await authorize({ ...valid(), client_id: '<script>alert(1)</script>' })
    const html = await expectErrorPage(response)
    expect(html).not.toContain('<script>alert(1)')
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('cache-control')).toBe('no-store')
  })
})

describe('loopback redirect URIs (RFC 8252 §7.3)', () => {
  test('a native client may use any port on its registered loopback URI', async () => {
    const response = await authorize({
      client_id: rp.native.clientId,
      redirect_uri: 'http://127.0.0.1:53124/native-cb',
      response_type: 'code',
      scope: 'openid',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      prompt: 'none',
    })
    expect(redirectedError(response, 'http://127.0.0.1:53124/native-cb').error).toBe('login_required')
  })

  test('but not another path or host', async () => {
    for (const redirectUri of ['http://127.0.0.1:53124/other', 'http://localhost:53124/native-cb']) {
      await expectErrorPage(
        await authorize({
          client_id: rp.native.clientId,
          redirect_uri: redirectUri,
          response_type: 'code',
          scope: 'openid',
        }),
      )
    }
  })
})

describe('after the redirect URI is trusted: the error goes back with state and iss', () => {
  const cases: [string, Record<string, string | undefined>, string][] = [
    ['response_type missing', { response_type: undefined }, 'invalid_request'],
    [
      'response_type token (implicit is not offered)',
      { response_type: 'token' },
      'unsupported_response_type',
    ],
    [
      'response_type code id_token (hybrid is not offered)',
      { response_type: 'code id_token' },
      'unsupported_response_type',
    ],
    ['an unknown response_mode', { response_mode: 'web_message' }, 'invalid_request'],
    ['a scope the client may not ask for', { scope: 'openid phone' }, 'invalid_scope'],
    ['a malformed scope', { scope: 'openid "x"' }, 'invalid_scope'],
    ['no scope', { scope: undefined }, 'invalid_scope'],
    [
      'PKCE missing for a client that requires it',
      { code_challenge: undefined, code_challenge_method: undefined },
      'invalid_request',
    ],
    ['PKCE plain when the client does not allow it', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['an unknown PKCE method', { code_challenge_method: 'S512' }, 'invalid_request'],
    ['a malformed S256 challenge', { code_challenge: 'short' }, 'invalid_request'],
    ['prompt none with login', { prompt: 'none login' }, 'invalid_request'],
    ['an unknown prompt value', { prompt: 'create' }, 'invalid_request'],
    ['a negative max_age', { max_age: '-1' }, 'invalid_request'],
    ['a claims parameter that is not JSON', { claims: '{nope' }, 'invalid_request'],
    ['an unknown display', { display: 'hologram' }, 'invalid_request'],
    ['a resource that is not an absolute URI', { resource: 'api' }, 'invalid_target'],
    ['a resource no granted scope reaches', { resource: 'https://unknown.example.test' }, 'invalid_target'],
    ['prompt none without a session', { prompt: 'none' }, 'login_required'],
  ]
  for (const [name, change, error] of cases) {
    test(`${name}: ${error}`, async () => {
      const params: Record<string, string> = { ...valid() }
      for (const [key, value] of Object.entries(change)) {
        if (value === undefined) delete params[key]
        else params[key] = value
      }
      const result = redirectedError(await authorize(params))
      expect(result.error).toBe(error)
      expect(typeof result.error_description).toBe('string')
      expect(result.state).toBe('st<a>te"1')
      expect(result.iss).toBe(server.issuer)
    })
  }

  test('a repeated parameter is invalid_request', async () => {
    const params = new URLSearchParams(valid())
    params.append('scope', 'openid')
    expect(redirectedError(await authorize(params)).error).toBe('invalid_request')
  })

  test('a client without the authorization_code grant is unauthorized_client', async () => {
    const response = await authorize({
      client_id: rp.machine.clientId,
      redirect_uri: 'https://machine.example.test/cb',
      response_type: 'code',
      scope: 'api1',
    })
    expect(redirectedError(response, 'https://machine.example.test/cb').error).toBe('unauthorized_client')
  })

  test('errors use the requested response mode: fragment', async () => {
    const response = await authorize({ ...valid(), response_mode: 'fragment', prompt: 'none' })
    const location = response.headers.get('location')!
    expect(location.startsWith(`${rp.web.redirectUri}#`)).toBe(true)
    const fragment = new URLSearchParams(location.split('#')[1])
    expect(fragment.get('error')).toBe('login_required')
    expect(fragment.get('iss')).toBe(server.issuer)
  })

  test('errors use the requested response mode: form_post, escaped, auto-submitting under a nonce', async () => {
    const response = await authorize({
      ...valid(),
      response_mode: 'form_post',
      prompt: 'none',
      state: '"><script>x()</script>',
    })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain(`action="${rp.web.redirectUri}"`)
    expect(html).not.toContain('<script>x()')
    expect(html).toContain('&quot;&gt;&lt;script&gt;x()&lt;/script&gt;')
    const nonce = /script-src 'nonce-([^']+)'/.exec(response.headers.get('content-security-policy')!)?.[1]
    expect(html).toContain(`<script nonce="${nonce}">`)
    expect(html).toMatch(/<button[^>]*type="submit"/)
  })

  test('a POSTed authorization request is answered with 303, never 307 or 308', async () => {
    const response = await fetch(`${server.issuer}/connect/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...valid(), prompt: 'none' }),
    })
    expect(response.status).toBe(303)
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('login_required')
  })

  test('unknown parameters are ignored', async () => {
    const response = await authorize({ ...valid(), prompt: 'none', frobnicate: 'yes' })
    expect(redirectedError(response).error).toBe('login_required')
  })
})

describe('nothing is stored for an unauthenticated request', () => {
  test('a hundred authorization requests leave the operational store as it was', async () => {
    const browser = new UserAgent()
    for (let i = 0; i < 100; i++) {
      const page = await browser.navigate(
        `${server.issuer}/connect/authorize?${new URLSearchParams(valid())}`,
      )
      expect(page.html).toContain('name="password"')
    }
    const grants = await server.stores.operational.grants.getAll({ clientId: rp.web.clientId })
    expect(grants).toHaveLength(0)
  })
})
