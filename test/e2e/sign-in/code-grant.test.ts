/**
 * The authorization code at the token endpoint and the tokens it gives, on every store setup:
 * single use with revocation on replay (RFC 9700 §4.2.4), PKCE including the downgrade
 * (RFC 9700 §4.8.2), binding to client and redirect URI, expiry; and userinfo's refusals
 * (RFC 6750 §3.1).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { basic } from '../http.ts'
import { discover, exchange, oidc, type RelyingParty, signInThroughPages, startSignIn } from './flow.ts'
import { rp, users } from './seed.ts'
import { type SignInServer, startSignInServer, storeSetups } from './server.ts'

for (const setup of storeSetups) {
  describe(`authorization codes on ${setup.name}`, () => {
    let server: SignInServer
    beforeAll(async () => {
      server = await startSignInServer({ setup })
    }, 30_000)
    afterAll(() => server.close())

    /** Signs alice in and returns the code without exchanging it. */
    async function codeFor(client: RelyingParty, parameters: Record<string, string> = {}) {
      const config = await discover(server.issuer, client)
      const started = await startSignIn(config, client, { scope: 'openid profile', ...parameters })
      const back = await signInThroughPages(started, users.alice)
      const code = new URL(back.url).searchParams.get('code')
      expect(code).toBeTruthy()
      return { config, started, back, code: code! }
    }

    function token(body: Record<string, string>, client: { clientId: string; secret?: string }) {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
      if (client.secret) headers.authorization = basic(client.clientId, client.secret)
      else body.client_id = client.clientId
      return fetch(`${server.issuer}/connect/token`, {
        method: 'POST',
        headers,
        body: new URLSearchParams(body),
      })
    }

    async function expectError(response: Response, error: string, status = 400) {
      expect(response.status).toBe(status)
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(((await response.json()) as { error: string }).error).toBe(error)
    }

    test('a replayed code is invalid_grant and revokes the tokens issued from it', async () => {
      const { code, started } = await codeFor(rp.spa, { scope: 'openid api1' })
      const body = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: rp.spa.redirectUri,
        code_verifier: started.verifier,
      }
      const first = await token({ ...body }, rp.spa)
      expect(first.status).toBe(200)
      const { access_token } = (await first.json()) as { access_token: string }
      const userinfo = () =>
        fetch(`${server.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${access_token}` } })
      expect((await userinfo()).status).toBe(200)
      await expectError(await token({ ...body }, rp.spa), 'invalid_grant')
      const after = await userinfo()
      expect(after.status).toBe(401)
      expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"')
    })

    test('two concurrent exchanges of one code: exactly one succeeds', async () => {
      const { code, started } = await codeFor(rp.spa)
      const body = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: rp.spa.redirectUri,
        code_verifier: started.verifier,
      }
      const answers = await Promise.all(Array.from({ length: 8 }, () => token({ ...body }, rp.spa)))
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1)
      expect(answers.filter((a) => a.status === 400)).toHaveLength(7)
    })

    test('PKCE: a wrong or missing verifier is invalid_grant, and the code is spent', async () => {
      for (const verifier of ['x'.repeat(43), undefined]) {
        const { code, started } = await codeFor(rp.web)
        const body: Record<string, string> = {
          grant_type: 'authorization_code',
          code,
          redirect_uri: rp.web.redirectUri,
        }
        if (verifier) body.code_verifier = verifier
        await expectError(await token(body, rp.web), 'invalid_grant')
        await expectError(await token({ ...body, code_verifier: started.verifier }, rp.web), 'invalid_grant')
      }
    })

    test('PKCE downgrade: a verifier for a code asked without a challenge is refused', async () => {
      const config = await discover(server.issuer, rp.auto)
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: rp.auto.redirectUri,
        scope: 'openid',
        state: 's',
      })
      const started = { ...(await startSignIn(config, rp.auto)), url }
      const back = await signInThroughPages(started, users.alice)
      const code = new URL(back.url).searchParams.get('code')!
      const body = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: rp.auto.redirectUri,
        code_verifier: 'v'.repeat(43),
      }
      await expectError(await token(body, rp.auto), 'invalid_grant')
    })

    test('a code used by another client, or with another or no redirect_uri, is invalid_grant', async () => {
      const cases: [Record<string, string | undefined>, { clientId: string; secret?: string }][] = [
        [{}, rp.other],
        [{ redirect_uri: `${rp.web.redirectUri}/` }, rp.web],
        [{ redirect_uri: undefined }, rp.web],
      ]
      for (const [change, client] of cases) {
        const { code, started } = await codeFor(rp.web)
        const body: Record<string, string> = {
          grant_type: 'authorization_code',
          code,
          redirect_uri: rp.web.redirectUri,
          code_verifier: started.verifier,
        }
        for (const [key, value] of Object.entries(change)) {
          if (value === undefined) delete body[key]
          else body[key] = value
        }
        await expectError(await token(body, client), 'invalid_grant')
      }
    })

    test('an expired code is invalid_grant', async () => {
      const { code, started } = await codeFor(rp.web)
      server.clock.advance(301_000)
      const body = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: rp.web.redirectUri,
        code_verifier: started.verifier,
      }
      await expectError(await token(body, rp.web), 'invalid_grant')
    })

    test('a confidential client must authenticate to exchange its code', async () => {
      const { code, started } = await codeFor(rp.web)
      const body = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: rp.web.redirectUri,
        code_verifier: started.verifier,
      }
      await expectError(await token(body, { clientId: rp.web.clientId }), 'invalid_client', 401)
    })

    test('openid-client completes the exchange after all those refusals', async () => {
      const { config, started, back } = await codeFor(rp.web)
      const tokens = await exchange(config, started, back.url)
      expect(tokens.claims()!.sub).toBe(users.alice.subjectId)
    })
  })
}

describe('userinfo refusals', () => {
  let server: SignInServer
  let accessToken: string
  let idToken: string
  beforeAll(async () => {
    server = await startSignInServer()
    const config = await discover(server.issuer, rp.web)
    const started = await startSignIn(config, rp.web)
    const back = await signInThroughPages(started, users.alice)
    const tokens = await exchange(config, started, back.url)
    accessToken = tokens.access_token
    idToken = tokens.id_token!
  }, 30_000)
  afterAll(() => server.close())

  const userinfo = (init: RequestInit = {}, query = '') =>
    fetch(`${server.issuer}/connect/userinfo${query}`, init)

  test('GET with the header and POST with the form body both answer, never cached', async () => {
    const get = await userinfo({ headers: { authorization: `Bearer ${accessToken}` } })
    expect(get.status).toBe(200)
    expect(get.headers.get('cache-control')).toBe('no-store')
    const post = await userinfo({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: accessToken }),
    })
    expect(((await post.json()) as { sub: string }).sub).toBe(users.alice.subjectId)
  })

  test('no token: 401 with a bare Bearer challenge', async () => {
    const response = await userinfo()
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer')
  })

  test('a token in the URL is refused', async () => {
    const response = await userinfo({}, `?access_token=${accessToken}`)
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request')
  })

  test('a token in both header and body is refused', async () => {
    const response = await userinfo({
      method: 'POST',
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ access_token: accessToken }),
    })
    expect(response.status).toBe(400)
  })

  for (const [name, value] of [
    ['a garbage token', 'not-a-token'],
    ['an ID Token', () => idToken],
    ['a tampered access token', () => `${accessToken.slice(0, -4)}AAAA`],
  ] as const) {
    test(`${name}: 401 invalid_token`, async () => {
      const presented = typeof value === 'function' ? value() : value
      const response = await userinfo({ headers: { authorization: `Bearer ${presented}` } })
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"')
    })
  }

  test('a client_credentials token (no openid scope): 403 insufficient_scope', async () => {
    const issued = await fetch(`${server.issuer}/connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(rp.machine.clientId, rp.machine.secret),
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    })
    const { access_token } = (await issued.json()) as { access_token: string }
    const response = await userinfo({ headers: { authorization: `Bearer ${access_token}` } })
    expect(response.status).toBe(403)
    expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"')
  })

  test('an expired token: 401', async () => {
    server.clock.advance(3601_000)
    const response = await userinfo({ headers: { authorization: `Bearer ${accessToken}` } })
    expect(response.status).toBe(401)
  })
})
