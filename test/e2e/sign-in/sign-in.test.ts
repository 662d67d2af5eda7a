/**
 * Signing in end to end over a real port with openid-client as the relying party, on every
 * store setup, and with two instances behind a round-robin balancer on Postgres + Redis.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { decodeProtectedHeader } from 'jose'
import { discover, exchange, oidc, signInThroughPages, startSignIn } from './flow.ts'
import { rp, users } from './seed.ts'
import { postgresRedis, type SignInServer, startSignInServer, storeSetups } from './server.ts'

for (const setup of storeSetups) {
  describe(`sign-in on ${setup.name}`, () => {
    let server: SignInServer
    beforeAll(async () => {
      server = await startSignInServer({ setup })
    }, 30_000)
    afterAll(() => server.close())

    test('a confidential client signs alice in: login, consent, code, ID Token, userinfo', async () => {
      const config = await discover(server.issuer, rp.web)
      const started = await startSignIn(config, rp.web)
      const callback = await signInThroughPages(started, users.alice)
      expect(callback.url.startsWith(rp.web.redirectUri)).toBe(true)
      const params = new URL(callback.url).searchParams
      expect(params.get('iss')).toBe(server.issuer)
      expect(params.get('state')).toBe(started.state)

      const tokens = await exchange(config, started, callback.url)
      const claims = tokens.claims()!
      expect(claims.sub).toBe(users.alice.subjectId)
      expect(claims.aud).toBe(rp.web.clientId)
      expect(claims.nonce).toBe(started.nonce)
      expect(typeof claims.auth_time).toBe('number')
      expect(typeof claims.sid).toBe('string')
      expect(claims.amr).toEqual(['pwd'])
      expect(typeof claims.at_hash).toBe('string')
      // Scope claims come from userinfo unless the client asks for them in the ID Token.
      expect(claims.email).toBeUndefined()
      expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('RS256')

      const info = await oidc.fetchUserInfo(config, tokens.access_token, users.alice.subjectId)
      expect(info).toMatchObject({
        sub: users.alice.subjectId,
        name: 'Alice <script>alert(1)</script>',
        email: 'alice@example.test',
        email_verified: true,
      })
    }, 30_000)

    test('a public client with PKCE gets an ES256 ID Token and a reference access token; SSO skips the login', async () => {
      const config = await discover(server.issuer, rp.spa)
      const first = await startSignIn(config, rp.spa, { scope: 'openid profile api1' })
      const callback = await signInThroughPages(first, users.bob)
      const tokens = await exchange(config, first, callback.url)
      expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('ES256')
      expect(tokens.access_token.split('.')).toHaveLength(1)
      expect(tokens.scope).toBe('openid profile api1')
      const info = await oidc.fetchUserInfo(config, tokens.access_token, users.bob.subjectId)
      expect(info.name).toBe('Bob')
      expect(info.email).toBeUndefined()

      // The same browser again: the session signs bob in without a page.
      const second = await startSignIn(config, rp.spa, { scope: 'openid profile' }, first.browser)
      const page = await second.browser.navigate(second.url.toString())
      expect(page.status).toBe(0)
      const again = await exchange(config, second, page.url)
      expect(again.claims()!.sid).toBe(tokens.claims()!.sid)
      expect(again.claims()!.auth_time).toBe(tokens.claims()!.auth_time)
    }, 30_000)
  })
}

describe('two instances behind a round-robin balancer on Postgres + Redis', () => {
  let server: SignInServer
  beforeAll(async () => {
    server = await startSignInServer({ setup: postgresRedis, instances: 2 })
  }, 30_000)
  afterAll(() => server.close())

  test('consecutive requests of one sign-in alternate between instances and it still succeeds', async () => {
    const config = await discover(server.issuer, rp.web)
    const started = await startSignIn(config, rp.web)
    const callback = await signInThroughPages(started, users.alice)
    const tokens = await exchange(config, started, callback.url)
    const info = await oidc.fetchUserInfo(config, tokens.access_token, users.alice.subjectId)
    expect(info.email).toBe('alice@example.test')
    expect(server.served[0]).toBeGreaterThan(2)
    expect(server.served[1]).toBeGreaterThan(2)
  }, 30_000)
})
