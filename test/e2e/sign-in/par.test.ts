/**
 * Pushed authorization requests (RFC 9126) over HTTP: openid-client pushes and signs in through
 * the request_uri on memory and on Postgres + Redis (two instances behind a balancer, so the
 * push and the authorize request reach different instances); then the refusals: replay,
 * expiry, another client's request_uri, a client that must push and did not, the endpoint's
 * own errors (§2.3).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import {
  type ClientKey,
  clientKey,
  codeRequest,
  discover,
  oidc,
  parRp,
  parSeed,
  push,
  requestObject,
  rp,
  signInAt,
  users,
} from './par-clients.ts'
import {
  postgresRedis,
  type SignInServer,
  type StoreSetup,
  startSignInServer,
  storeSetups,
} from './server.ts'

const memorySetup = storeSetups[0]!

let keys: { pushing: ClientKey; signing: ClientKey }
beforeAll(async () => {
  keys = { pushing: await clientKey('par-key'), signing: await clientKey('jar-key') }
})

const happySetups: [StoreSetup, 1 | 2][] = [
  [memorySetup, 1],
  [postgresRedis, 2],
]

for (const [setup, instances] of happySetups) {
  describe(`PAR with openid-client on ${setup.name} (${instances} instance${instances > 1 ? 's' : ''})`, () => {
    let server: SignInServer
    beforeAll(async () => {
      server = await startSignInServer({ setup, instances, config: { seed: parSeed(keys) } })
    }, 60_000)
    afterAll(() => server.close())

    test('discovery advertises the PAR endpoint and request objects', async () => {
      const document = (await (
        await fetch(`${server.issuer}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>
      expect(document.pushed_authorization_request_endpoint).toBe(`${server.issuer}/connect/par`)
      expect(document.require_pushed_authorization_requests).toBe(false)
      expect(document.request_parameter_supported).toBe(true)
      expect(document.request_object_signing_alg_values_supported).toContain('ES256')
      expect(document.request_object_signing_alg_values_supported).not.toContain('none')
      expect(document.request_uri_parameter_supported).toBe(false)
    })

    test('a client that must push signs alice in through buildAuthorizationUrlWithPAR', async () => {
      const config = await discover(server.issuer, parRp.pushing)
      const { parameters, ...expected } = await codeRequest(parRp.pushing)
      const url = await oidc.buildAuthorizationUrlWithPAR(config, parameters)
      // RFC 9126 §4: only client_id and request_uri travel through the browser.
      expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
      expect(url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:[\w-]{43}$/)
      const claims = await signInAt(config, parRp.pushing, url, expected)
      expect(claims.sub).toBe(users.alice.subjectId)
      expect(claims.aud).toBe(parRp.pushing.clientId)
    }, 30_000)

    test('a public client pushes with its client_id alone', async () => {
      const config = await discover(server.issuer, parRp.public)
      const { parameters, ...expected } = await codeRequest(parRp.public)
      const url = await oidc.buildAuthorizationUrlWithPAR(config, parameters)
      const claims = await signInAt(config, parRp.public, url, expected)
      expect(claims.sub).toBe(users.alice.subjectId)
    }, 30_000)

    test('a signed request object pushed to the PAR endpoint (JAR + PAR)', async () => {
      const config = await discover(server.issuer, parRp.signing)
      const { parameters, ...expected } = await codeRequest(parRp.signing)
      const signed = await oidc.buildAuthorizationUrlWithJAR(config, parameters, {
        key: keys.signing.privateKey,
        kid: keys.signing.kid,
      })
      const url = await oidc.buildAuthorizationUrlWithPAR(config, {
        request: signed.searchParams.get('request')!,
      })
      const claims = await signInAt(config, parRp.signing, url, expected)
      expect(claims.sub).toBe(users.alice.subjectId)
    }, 30_000)
  })
}

describe('PAR refusals (memory)', () => {
  let server: SignInServer
  beforeAll(async () => {
    server = await startSignInServer({ setup: memorySetup, config: { seed: parSeed(keys) } })
  }, 30_000)
  afterAll(() => server.close())

  async function pushed(client: { clientId: string; secret?: string; redirectUri: string }) {
    const { parameters } = await codeRequest(client)
    const response = await push(server, client, parameters)
    expect(response.status).toBe(201)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as { request_uri: string; expires_in: number }
    expect(body.expires_in).toBe(60)
    return body.request_uri
  }

  function authorize(params: Record<string, string>) {
    return fetch(`${server.issuer}/connect/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' })
  }

  /** An error page, never a redirect: the request_uri or object cannot be trusted. */
  async function expectRefusalPage(response: Response, error: string) {
    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    expect(await response.text()).toContain(error)
  }

  /** The request went on: the browser is sent to the login page. */
  function expectLogin(response: Response) {
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toStartWith(`${server.issuer}/account/login?`)
  }

  async function expectJsonError(response: Response, status: number, error: string) {
    expect(response.status).toBe(status)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(((await response.json()) as { error: string }).error).toBe(error)
  }

  test('a request_uri works once: the second use is invalid_request_uri', async () => {
    const requestUri = await pushed(parRp.pushing)
    const first = await authorize({ client_id: parRp.pushing.clientId, request_uri: requestUri })
    expectLogin(first)
    await expectRefusalPage(
      await authorize({ client_id: parRp.pushing.clientId, request_uri: requestUri }),
      'invalid_request_uri',
    )
  })

  test('an expired request_uri is refused', async () => {
    const requestUri = await pushed(parRp.pushing)
    server.clock.advance(61_000)
    await expectRefusalPage(
      await authorize({ client_id: parRp.pushing.clientId, request_uri: requestUri }),
      'invalid_request_uri',
    )
  })

  test("another client cannot use a client's request_uri, which stays usable by its owner", async () => {
    const requestUri = await pushed(parRp.pushing)
    await expectRefusalPage(
      await authorize({ client_id: rp.web.clientId, request_uri: requestUri }),
      'invalid_request_uri',
    )
    const owner = await authorize({ client_id: parRp.pushing.clientId, request_uri: requestUri })
    expectLogin(owner)
  })

  test('parameters sent beside request_uri are ignored (RFC 9126 §4)', async () => {
    const requestUri = await pushed(parRp.pushing)
    // prompt=none outside would end in login_required at the redirect URI; the pushed request has no prompt.
    const response = await authorize({
      client_id: parRp.pushing.clientId,
      request_uri: requestUri,
      prompt: 'none',
      redirect_uri: 'https://evil.example/cb',
    })
    expectLogin(response)
  })

  test('a client that must push is refused a plain request, at its redirect URI', async () => {
    const { parameters } = await codeRequest(parRp.pushing)
    const response = await authorize(parameters)
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get('location')!)
    expect(`${location.origin}${location.pathname}`).toBe(parRp.pushing.redirectUri)
    expect(location.searchParams.get('error')).toBe('invalid_request')
    expect(location.searchParams.get('state')).toBe(parameters.state!)
  })

  test('a request_uri pointing outside the server is refused, never fetched', async () => {
    await expectRefusalPage(
      await authorize({ client_id: rp.web.clientId, request_uri: 'https://rp.example.test/request.jwt' }),
      'invalid_request_uri',
    )
  })

  test('the endpoint authenticates the client: a wrong secret or none for a confidential client is 401', async () => {
    const { parameters } = await codeRequest(parRp.pushing)
    await expectJsonError(
      await push(server, { ...parRp.pushing, secret: 'wrong-secret' }, parameters),
      401,
      'invalid_client',
    )
    await expectJsonError(
      await push(server, { ...parRp.pushing, secret: undefined }, parameters),
      401,
      'invalid_client',
    )
  })

  test('the pushed request is validated as at the authorize endpoint', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ redirect_uri: 'https://evil.example/cb' }, 'invalid_request'],
      [{ scope: 'openid admin' }, 'invalid_scope'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ code_challenge: '' }, 'invalid_request'],
      [{ request_uri: 'urn:ietf:params:oauth:request_uri:x' }, 'invalid_request'],
    ]
    for (const [change, error] of cases) {
      const { parameters } = await codeRequest(parRp.pushing, change)
      await expectJsonError(await push(server, parRp.pushing, parameters), 400, error)
    }
  })

  test('a client that must sign its requests cannot push plain parameters', async () => {
    const { parameters } = await codeRequest(parRp.signing)
    await expectJsonError(await push(server, parRp.signing, parameters), 400, 'invalid_request')
  })

  test('a request object pushed by another client than it names is refused', async () => {
    const { parameters } = await codeRequest(parRp.signing)
    const request = await requestObject(server, parRp.signing, keys.signing, parameters)
    await expectJsonError(await push(server, parRp.pushing, { request }), 400, 'invalid_request_object')
  })

  test("a browser client's origin gets CORS (preflight and the push), another origin none", async () => {
    const origin = parRp.public.origin
    const preflight = await fetch(`${server.issuer}/connect/par`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin)
    const { parameters } = await codeRequest(parRp.public)
    const pushedFromPage = await fetch(`${server.issuer}/connect/par`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(parameters),
    })
    expect(pushedFromPage.status).toBe(201)
    expect(pushedFromPage.headers.get('access-control-allow-origin')).toBe(origin)
    const elsewhere = await fetch(`${server.issuer}/connect/par`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull()
  })

  test('only POST', async () => {
    const response = await fetch(`${server.issuer}/connect/par`)
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
  })
})

describe('par.required: every client must push', () => {
  let server: SignInServer
  beforeAll(async () => {
    server = await startSignInServer({
      setup: memorySetup,
      config: { seed: parSeed(keys), par: { required: true } },
    })
  }, 30_000)
  afterAll(() => server.close())

  test('discovery says so, a plain request is refused, a pushed one goes on', async () => {
    const document = (await (
      await fetch(`${server.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>
    expect(document.require_pushed_authorization_requests).toBe(true)
    const { parameters } = await codeRequest(rp.web)
    const plain = await fetch(`${server.issuer}/connect/authorize?${new URLSearchParams(parameters)}`, {
      redirect: 'manual',
    })
    expect(plain.status).toBe(302)
    expect(new URL(plain.headers.get('location')!).searchParams.get('error')).toBe('invalid_request')
    const response = await push(server, rp.web, parameters)
    expect(response.status).toBe(201)
    const { request_uri } = (await response.json()) as { request_uri: string }
    const viaPar = await fetch(
      `${server.issuer}/connect/authorize?${new URLSearchParams({ client_id: rp.web.clientId, request_uri })}`,
      { redirect: 'manual' },
    )
    expect(viaPar.status).toBe(302)
    expect(viaPar.headers.get('location')).toStartWith(`${server.issuer}/account/login?`)
  })

  test('a pushed request goes through login and consent to tokens (the requirement holds on every step)', async () => {
    const web = { ...rp.web }
    const config = await discover(server.issuer, web)
    const { parameters, ...expected } = await codeRequest(web)
    const url = await oidc.buildAuthorizationUrlWithPAR(config, parameters)
    // rp.web requires consent: the sealed request is re-validated on the consent page and after it.
    const claims = await signInAt(config, web, url, expected)
    expect(claims.sub).toBe(users.alice.subjectId)
  }, 30_000)
})
