/**
 * Signing out end to end (OIDC RP-Initiated, Front-Channel and Back-Channel Logout 1.0) with
 * openid-client as the relying party: redirects only for a verified hint and an exactly
 * registered URI, a confirmation otherwise, the session gone on every instance, Logout Tokens
 * a receiver verifies against the JWKS (and retries after a 500), front-channel iframes
 * allowed by the page's CSP. On memory, and on two instances over Postgres + Redis.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { createRemoteJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose'
import { discover, exchange, oidc, type RelyingParty, signInThroughPages, startSignIn } from './flow.ts'
import { rp, users } from './seed.ts'
import {
  postgresRedis,
  type SignInServer,
  type StoreSetup,
  startSignInServer,
  storeSetups,
} from './server.ts'
import { UserAgent } from './user-agent.ts'

const setups: { setup: StoreSetup; instances: 1 | 2; name: string }[] = [
  ...storeSetups.map((setup) => ({ setup, instances: 1 as const, name: setup.name })),
  { setup: postgresRedis, instances: 2, name: 'two instances on postgres + redis' },
]

for (const { setup, instances, name } of setups) {
  describe(`logout on ${name}`, () => {
    let server: SignInServer
    /** Logout Tokens the back-channel receiver got, and how it answered each POST. */
    const received: { contentType: string | null; body: URLSearchParams; status: number }[] = []
    let failFirst = false
    let slowMs = 0
    const receiver = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      async fetch(request) {
        const body = new URLSearchParams(await request.text())
        if (slowMs > 0) await Bun.sleep(slowMs)
        const status = failFirst && received.length === 0 ? 500 : 200
        received.push({ contentType: request.headers.get('content-type'), body, status })
        return new Response(null, { status })
      },
    })

    beforeAll(async () => {
      const backChannelLogoutUri = `http://127.0.0.1:${receiver.port}/backchannel`
      server = await startSignInServer({ setup, instances, seed: { backChannelLogoutUri } })
    }, 30_000)
    afterAll(async () => {
      await server.close()
      receiver.stop(true)
    })
    beforeEach(() => {
      received.length = 0
      failFirst = false
      slowMs = 0
    })

    /** A browser that stops at any URL outside Portico (the relying parties' callbacks). */
    const newBrowser = () => new UserAgent((url) => !url.startsWith(server.issuer))

    async function signedIn(client: RelyingParty, browser = newBrowser()) {
      const config = await discover(server.issuer, client)
      const started = await startSignIn(config, client, { scope: 'openid' }, browser)
      const callback = await signInThroughPages(started, users.alice)
      expect(callback.status).toBe(0)
      const tokens = await exchange(config, started, callback.url)
      return { config, browser, idToken: tokens.id_token!, sid: tokens.claims()!.sid as string }
    }

    /** `prompt=none` in this browser: the callback's parameters (`code`, or `error`). */
    async function silently(browser: UserAgent, client: RelyingParty = rp.logout) {
      const config = await discover(server.issuer, client)
      const started = await startSignIn(config, client, { scope: 'openid', prompt: 'none' }, browser)
      const page = await browser.navigate(started.url.toString())
      expect(page.status).toBe(0)
      return new URL(page.url).searchParams
    }

    test('discovery lists the end-session endpoint and both logout channels with sid', async () => {
      const config = await discover(server.issuer, rp.logout)
      expect(config.serverMetadata()).toMatchObject({
        end_session_endpoint: `${server.issuer}/connect/endsession`,
        frontchannel_logout_supported: true,
        frontchannel_logout_session_supported: true,
        backchannel_logout_supported: true,
        backchannel_logout_session_supported: true,
      })
    })

    test('a valid id_token_hint (even expired) and a registered post_logout_redirect_uri: signed out, 302 there with state', async () => {
      const { config, browser, idToken } = await signedIn(rp.logout)
      // OIDC RP-Initiated Logout §2: an expired ID Token still identifies the client and session.
      server.clock.advance(10 * 60 * 1000)
      const url = oidc.buildEndSessionUrl(config, {
        id_token_hint: idToken,
        post_logout_redirect_uri: rp.logout.postLogoutRedirectUri,
        state: 'af0ifjsldkj',
      })
      const response = await browser.request(url.toString())
      expect(response.status).toBe(302)
      const location = new URL(response.headers.get('location')!)
      expect(`${location.origin}${location.pathname}`).toBe(rp.logout.postLogoutRedirectUri)
      expect(location.searchParams.get('state')).toBe('af0ifjsldkj')
      expect(browser.cookies.has('portico.session')).toBe(false)
      expect(browser.cookies.has('portico.antiforgery')).toBe(false)
      expect((await silently(browser)).get('error')).toBe('login_required')
    }, 30_000)

    test('the same request as a form POST is answered 303 (RFC 9110 §15.4.4)', async () => {
      const { config, browser, idToken } = await signedIn(rp.logout)
      const url = oidc.buildEndSessionUrl(config, {
        id_token_hint: idToken,
        post_logout_redirect_uri: rp.logout.postLogoutRedirectUri,
      })
      const response = await browser.request(`${url.origin}${url.pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: url.searchParams.toString(),
      })
      expect(response.status).toBe(303)
      expect(response.headers.get('location')).toBe(rp.logout.postLogoutRedirectUri)
      expect((await silently(browser)).get('error')).toBe('login_required')
    }, 30_000)

    test('without a hint the user confirms first: nothing happens before, no redirect after', async () => {
      const { config, browser } = await signedIn(rp.logout)
      const url = oidc.buildEndSessionUrl(config, {
        post_logout_redirect_uri: rp.logout.postLogoutRedirectUri,
        state: 'no-hint',
      })
      const confirm = await browser.navigate(url.toString())
      expect(confirm.status).toBe(200)
      expect(confirm.html).toContain('Sign out?')
      expect((await silently(browser)).get('code')).toBeTruthy()

      // A cross-site POST of the form, and one without its anti-forgery token, change nothing.
      const action = `${server.issuer}/account/logout`
      const crossSite = await browser.request(action, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'cross-site',
          origin: 'https://evil.example.test',
        },
        body: `client_id=${rp.logout.clientId}`,
      })
      expect(crossSite.status).toBe(403)
      const forged = await browser.submit(confirm, { antiForgery: 'forged' })
      expect(forged.status).toBe(403)
      expect((await silently(browser)).get('code')).toBeTruthy()

      const loggedOut = await browser.submit(confirm)
      expect(loggedOut.status).toBe(200)
      expect(loggedOut.headers.get('location')).toBeNull()
      expect(loggedOut.html).toContain('You are signed out')
      expect(loggedOut.html).toContain(`href="${rp.logout.postLogoutRedirectUri}?state=no-hint"`)
      expect(loggedOut.html).not.toContain('<script')
      expect((await silently(browser)).get('error')).toBe('login_required')
    }, 30_000)

    test('a valid hint from an earlier session is suspect (§2): the user is asked, then no redirect', async () => {
      const first = await signedIn(rp.logout)
      const end = (idToken: string) =>
        oidc
          .buildEndSessionUrl(first.config, {
            id_token_hint: idToken,
            post_logout_redirect_uri: rp.logout.postLogoutRedirectUri,
            state: 'old',
          })
          .toString()
      expect((await first.browser.request(end(first.idToken))).status).toBe(302)
      // Signed in again in the same browser: a new session, which the old hint does not name.
      const second = await signedIn(rp.logout, first.browser)
      expect(second.sid).not.toBe(first.sid)
      const confirm = await first.browser.navigate(end(first.idToken))
      expect(confirm.status).toBe(200)
      expect(confirm.html).toContain('Sign out?')
      expect((await silently(first.browser)).get('code')).toBeTruthy()
      const loggedOut = await first.browser.submit(confirm)
      expect(loggedOut.status).toBe(200)
      expect(loggedOut.html).toContain(`href="${rp.logout.postLogoutRedirectUri}?state=old"`)
      expect((await silently(first.browser)).get('error')).toBe('login_required')
    }, 30_000)

    test('bad or extended post_logout_redirect_uris are an error page, never a redirect', async () => {
      const { config, browser, idToken } = await signedIn(rp.logout)
      const registered = rp.logout.postLogoutRedirectUri
      for (const uri of [
        `${registered}/`,
        `${registered}?next=1`,
        'https://evil.example.test/signed-out',
        rp.frontChannel.postLogoutRedirectUri,
      ]) {
        for (const hint of [{ id_token_hint: idToken }, {}] as Record<string, string>[]) {
          const url = oidc.buildEndSessionUrl(config, { ...hint, post_logout_redirect_uri: uri })
          const response = await browser.request(url.toString())
          expect(response.status).toBe(400)
          expect(response.headers.get('location')).toBeNull()
          expect(await response.text()).toContain('This sign-out request cannot continue')
        }
      }
      // Without a client the URI cannot be checked at all.
      const bare = `${server.issuer}/connect/endsession?post_logout_redirect_uri=${encodeURIComponent(registered)}`
      expect((await browser.request(bare)).status).toBe(400)
      expect((await silently(browser)).get('code')).toBeTruthy()
    }, 30_000)

    test('tampered, unsigned (alg none) and foreign-key hints are an error page, never a redirect', async () => {
      const { config, browser, idToken } = await signedIn(rp.logout)
      const [header, payload, signature] = idToken.split('.') as [string, string, string]
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
      const { privateKey } = await generateKeyPair('RS256')
      const hints = [
        `${header}.${encode({ ...claims, sub: users.bob.subjectId })}.${signature}`,
        `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`,
        await new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: decodeProtectedHeader(idToken).kid! })
          .sign(privateKey),
        'not-a-jwt',
      ]
      for (const hint of hints) {
        const url = oidc.buildEndSessionUrl(config, {
          id_token_hint: hint,
          post_logout_redirect_uri: rp.logout.postLogoutRedirectUri,
          state: 'x',
        })
        const response = await browser.request(url.toString())
        expect(response.status).toBe(400)
        expect(response.headers.get('location')).toBeNull()
      }
      expect((await silently(browser)).get('code')).toBeTruthy()
    }, 30_000)

    test('the session is removed from the store: its old cookie signs nobody in on any instance', async () => {
      const { config, browser, idToken } = await signedIn(rp.logout)
      const saved = new Map(browser.cookies)
      const url = oidc.buildEndSessionUrl(config, { id_token_hint: idToken })
      const page = await browser.navigate(url.toString())
      expect(page.status).toBe(200)
      expect(page.html).toContain('You are signed out')
      // Replaying the old cookie, on each instance in turn (the balancer alternates).
      for (let i = 0; i < instances; i++) {
        const replay = newBrowser()
        for (const [cookie, value] of saved) replay.cookies.set(cookie, value)
        expect((await silently(replay)).get('error')).toBe('login_required')
      }
    }, 30_000)

    test('back-channel: a Logout Token the receiver verifies against the JWKS, retried after a 500', async () => {
      failFirst = true
      const { config, browser, idToken, sid } = await signedIn(rp.logout)
      const url = oidc.buildEndSessionUrl(config, {
        id_token_hint: idToken,
        post_logout_redirect_uri: rp.logout.postLogoutRedirectUri,
      })
      const response = await browser.request(url.toString())
      // The redirect does not wait for the receiver.
      expect(response.status).toBe(302)
      const deadline = Date.now() + 10_000
      while (received.length < 2 && Date.now() < deadline) await Bun.sleep(50)
      expect(received.map((r) => r.status)).toEqual([500, 200])
      expect(received[0]!.contentType).toStartWith('application/x-www-form-urlencoded')
      const tokens = received.map((r) => r.body.get('logout_token'))
      expect(tokens[0]).toBe(tokens[1]!)

      const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!))
      const { payload, protectedHeader } = await jwtVerify(tokens[1]!, jwks, {
        issuer: server.issuer,
        audience: rp.logout.clientId,
        typ: 'logout+jwt',
        currentDate: new Date(server.clock.now()),
      })
      expect(protectedHeader.alg).toBe('RS256')
      expect(payload.sub).toBe(users.alice.subjectId)
      expect(payload.sid).toBe(sid)
      expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} })
      expect(typeof payload.jti).toBe('string')
      expect(payload.exp! - payload.iat!).toBe(120)
      expect(payload).not.toHaveProperty('nonce')
      // OIDC Back-Channel Logout §2.6: an RP checking ID Tokens refuses this one (explicit typ).
      await expect(
        jwtVerify(tokens[1]!, jwks, { typ: 'JWT', currentDate: new Date(server.clock.now()) }),
      ).rejects.toThrow()
    }, 30_000)

    test('back-channel: the user does not wait for a slow receiver', async () => {
      slowMs = 2500
      const { config, browser, idToken } = await signedIn(rp.logout)
      const url = oidc.buildEndSessionUrl(config, {
        id_token_hint: idToken,
        post_logout_redirect_uri: rp.logout.postLogoutRedirectUri,
      })
      const started = performance.now()
      const response = await browser.request(url.toString())
      expect(response.status).toBe(302)
      expect(performance.now() - started).toBeLessThan(1500)
      const deadline = Date.now() + 10_000
      while (received.length < 1 && Date.now() < deadline) await Bun.sleep(50)
      expect(received).toHaveLength(1)
    }, 30_000)

    test('front-channel: the logged-out page frames each client’s URL (iss and sid when required), allowed by frame-src', async () => {
      const browser = newBrowser()
      const first = await signedIn(rp.frontChannel, browser)
      const second = await signedIn(rp.frontChannelPlain, browser)
      expect(second.sid).toBe(first.sid)
      const url = oidc.buildEndSessionUrl(first.config, {
        id_token_hint: first.idToken,
        post_logout_redirect_uri: rp.frontChannel.postLogoutRedirectUri,
        state: 'fc',
      })
      const response = await browser.request(url.toString())
      // The frames must load before the browser leaves, so this is a page that continues by script.
      expect(response.status).toBe(200)
      const html = await response.text()
      const withSession = new URL(rp.frontChannel.frontChannelLogoutUri)
      withSession.searchParams.append('iss', server.issuer)
      withSession.searchParams.append('sid', first.sid)
      expect((await iframeSources(html)).sort()).toEqual(
        [withSession.toString(), rp.frontChannelPlain.frontChannelLogoutUri].sort(),
      )
      const frameSrc = directive(response.headers.get('content-security-policy')!, 'frame-src')
      expect(frameSrc.sort()).toEqual(['https://front.example.test', 'https://plain.example.test:8443'])
      expect(html).toContain(`href="${rp.frontChannel.postLogoutRedirectUri}?state=fc"`)
      expect(html).toMatch(/<script nonce="[^"]+">/)
      expect((await silently(browser, rp.frontChannel)).get('error')).toBe('login_required')

      // Other pages frame nothing.
      const login = await browser.request(`${server.issuer}/account/login`)
      expect(directive(login.headers.get('content-security-policy')!, 'frame-src')).toEqual([])
    }, 30_000)
  })
}

async function iframeSources(html: string): Promise<string[]> {
  const sources: string[] = []
  await new HTMLRewriter()
    .on('iframe', {
      element(element) {
        sources.push((element.getAttribute('src') ?? '').replaceAll('&amp;', '&'))
      },
    })
    .transform(new Response(html))
    .text()
  return sources
}

function directive(csp: string, name: string): string[] {
  const found = csp
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([directiveName]) => directiveName === name)
  return found ? found.slice(1) : []
}
