/**
 * Portico mounted under a path (`host.route('/id', portico)`) with the issuer
 * `http://127.0.0.1:PORT/id`: every URL it emits (discovery, the login redirect, form actions,
 * the device verification URI, end-session) lives under `/id`, and a whole sign-in, a device
 * approval and a logout work there, next to the host app's own routes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { addDeviceClients, devices } from './device-clients.ts'
import { discover, exchange, oidc, signInThroughPages, startSignIn } from './flow.ts'
import { rp, users } from './seed.ts'
import { type SignInServer, startSignInServer } from './server.ts'
import { readForms, UserAgent } from './user-agent.ts'

for (const [how, keepPrefix] of [
  ['mounted in a host app under /id', false],
  ['behind a proxy that keeps the /id prefix', true],
] as const) {
  describe(`Portico ${how}`, () => {
    let server: SignInServer
    beforeAll(async () => {
      server = await startSignInServer({ mountPath: '/id', keepPrefix })
      await addDeviceClients(server)
    }, 30_000)
    afterAll(() => server.close())

    const origin = () => new URL(server.issuer).origin

    test('discovery is under the prefix and every endpoint it lists is too; the host keeps /', async () => {
      expect(server.issuer.endsWith('/id')).toBe(true)
      const config = await discover(server.issuer, rp.web)
      const metadata = config.serverMetadata()
      expect(metadata.issuer).toBe(server.issuer)
      for (const name of [
        'authorization_endpoint',
        'token_endpoint',
        'userinfo_endpoint',
        'end_session_endpoint',
        'jwks_uri',
        'device_authorization_endpoint',
      ] as const) {
        expect(String(metadata[name])).toStartWith(`${server.issuer}/`)
      }
      expect((await fetch(metadata.jwks_uri!)).status).toBe(200)
      if (!keepPrefix) expect(await (await fetch(`${origin()}/`)).text()).toBe('the host app')
    })

    test('a sign-in: the login and consent pages and their form actions are under /id; code, tokens, userinfo', async () => {
      const config = await discover(server.issuer, rp.web)
      const started = await startSignIn(config, rp.web)
      const login = await started.browser.navigate(started.url.toString())
      expect(login.status).toBe(200)
      expect(new URL(login.url).pathname).toBe('/id/account/login')
      const returnUrl = new URL(login.url).searchParams.get('returnUrl')!
      expect(returnUrl).toStartWith('/id/connect/authorize/callback?')
      for (const form of await readForms(login.html)) {
        expect(new URL(form.action || login.url, login.url).pathname).toStartWith('/id/')
      }
      const consent = await started.browser.submit(login, users.alice)
      expect(consent.status).toBe(200)
      expect(new URL(consent.url).pathname).toBe('/id/consent')
      const callback = await started.browser.submit(consent, {}, 'allow')
      expect(callback.url).toStartWith(rp.web.redirectUri)
      expect(new URL(callback.url).searchParams.get('iss')).toBe(server.issuer)

      const tokens = await exchange(config, started, callback.url)
      expect(tokens.claims()!.iss).toBe(server.issuer)
      const info = await oidc.fetchUserInfo(config, tokens.access_token, users.alice.subjectId)
      expect(info.email).toBe('alice@example.test')

      // The session works for the next request under the prefix: no login page again.
      const again = await startSignIn(config, rp.web, {}, started.browser)
      const page = await signInThroughPages(again, users.alice)
      expect(page.status).toBe(0)
    }, 30_000)

    test('the device verification URI is under /id and the approval completes there', async () => {
      const response = await fetch(`${server.issuer}/connect/deviceauthorization`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: devices.tv.clientId, scope: 'openid' }),
      })
      expect(response.status).toBe(200)
      const codes = (await response.json()) as Record<string, string>
      expect(codes.verification_uri).toBe(`${server.issuer}/device`)
      const browser = new UserAgent()
      let page = await browser.navigate(codes.verification_uri_complete!)
      expect(page.status).toBe(200)
      page = await browser.submit(page)
      if (page.html.includes('name="password"')) page = await browser.submit(page, users.alice)
      expect(page.html).toContain(codes.user_code!)
      const done = await browser.submit(page, {}, 'allow')
      expect(done.html).toContain('Device connected')

      server.clock.advance(5_000)
      const tokens = await fetch(`${server.issuer}/connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          device_code: codes.device_code!,
          client_id: devices.tv.clientId,
        }),
      })
      expect(tokens.status).toBe(200)
    }, 30_000)

    test('end-session under /id signs the browser out and returns to the client', async () => {
      const browser = new UserAgent((url) => !url.startsWith(server.issuer))
      const config = await discover(server.issuer, rp.logout)
      expect(config.serverMetadata().end_session_endpoint).toBe(`${server.issuer}/connect/endsession`)
      const started = await startSignIn(config, rp.logout, { scope: 'openid' }, browser)
      const callback = await signInThroughPages(started, users.alice)
      const tokens = await exchange(config, started, callback.url)
      expect(browser.cookies.has('portico.session')).toBe(true)
      const url = oidc.buildEndSessionUrl(config, {
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: rp.logout.postLogoutRedirectUri,
      })
      const response = await browser.request(url.toString())
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe(rp.logout.postLogoutRedirectUri)
      expect(browser.cookies.has('portico.session')).toBe(false)
    }, 30_000)
  })
}
