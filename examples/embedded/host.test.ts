/**
 * The embedded example: Portico mounted under `/auth` of another Hono app signs a user in
 * with openid-client, every URL it emits carries the path, and the host's routes and
 * middleware keep working beside it.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import * as oidc from 'openid-client'
import { UserAgent } from '../../test/e2e/sign-in/user-agent.ts'
import { type Host, startHost } from './host.ts'

let host: Host
beforeAll(async () => {
  host = await startHost()
}, 30_000)
afterAll(() => host.stop())

test('discovery under /auth names the issuer with its path and every endpoint under it', async () => {
  const response = await fetch(`${host.url}/auth/.well-known/openid-configuration`)
  const doc = (await response.json()) as Record<string, string>
  expect(doc.issuer).toBe(`${host.url}/auth`)
  for (const name of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri']) {
    expect(doc[name]).toStartWith(`${host.url}/auth/`)
  }
  // The host's middleware runs around Portico's responses too.
  expect(response.headers.get('x-host')).toBe('shop')
})

test("a relying party signs ada in through the mounted pages, with claims from the host's table", async () => {
  const config = await oidc.discovery(
    new URL(`${host.url}/auth`),
    'shop',
    undefined,
    oidc.ClientSecretBasic('shop-secret-0123456789abcdef'),
    { execute: [oidc.allowInsecureRequests] },
  )
  const verifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `${host.url}/callback`,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  })
  const browser = new UserAgent((to) => to.startsWith(`${host.url}/callback`))
  const login = await browser.navigate(url.toString())
  expect(login.url).toStartWith(`${host.url}/auth/account/login`)
  const back = await browser.submit(login, { username: 'ada', password: 'ada-password-123' })
  expect(back.status).toBe(0)
  const tokens = await oidc.authorizationCodeGrant(config, new URL(back.url), {
    pkceCodeVerifier: verifier,
    expectedState: state,
  })
  expect(tokens.claims()).toMatchObject({ iss: `${host.url}/auth`, sub: 'u-1' })
  const info = await oidc.fetchUserInfo(config, tokens.access_token, 'u-1')
  expect(info).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.test' })

  // Claims come from the host's table each time: a change shows at once, a suspension ends access.
  host.accounts.update('u-1', { email: 'ada@analytical.test' })
  expect((await oidc.fetchUserInfo(config, tokens.access_token, 'u-1')).email).toBe('ada@analytical.test')
  host.accounts.update('u-1', { suspended: true })
  const refused = await fetch(`${host.url}/auth/connect/userinfo`, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  })
  expect(refused.status).toBe(401)
  host.accounts.update('u-1', { suspended: false, email: 'ada@example.test' })
}, 30_000)

test("the host's own routes are untouched", async () => {
  const home = await fetch(`${host.url}/`)
  expect(home.headers.get('content-type')).toStartWith('text/html')
  expect(home.headers.get('x-host')).toBe('shop')
  expect(await home.text()).toBe('<p>The Shop</p>')
  expect(await (await fetch(`${host.url}/callback?code=x`)).text()).toBe('<p>callback with a code</p>')
})

test('close() releases the stores: the app then answers 503', async () => {
  const other = await startHost()
  await other.portico.close()
  const response = await fetch(`${other.url}/auth/readyz`)
  expect(response.status).toBe(503)
  await other.stop()
})
