/**
 * Signing out in a real browser (Debian's Chromium under playwright-core): the logged-out page
 * loads the relying party's front-channel logout URL in its iframe under the page's own CSP
 * (frame-src), then continues to the registered post-logout URI by its nonce-bound script; without
 * JavaScript the frame still loads and the page offers the link instead.
 * Skipped as chromium.test.ts is: only when /usr/bin/chromium is absent and PORTICO_REQUIRE_SERVICES is unset.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { chromiumPath, launchChromium } from '../../ui/fixtures/chromium.ts'
import { discover, oidc } from './flow.ts'
import { type SignInServer, startSignInServer } from './server.ts'

const installed = existsSync(chromiumPath)
const required = Boolean(process.env.PORTICO_REQUIRE_SERVICES)
const alice = { username: 'alice', password: 'alice-password-1234', subjectId: 'alice-sub' }

describe.skipIf(!installed && !required)('logout in Chromium', () => {
  let browser: Browser
  let server: SignInServer
  /** The front-channel requests the relying party received (their query strings). */
  const frontChannel: URLSearchParams[] = []
  const relyingParty = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(request) {
      const url = new URL(request.url)
      if (url.pathname === '/fc') frontChannel.push(url.searchParams)
      const body = `<!doctype html><title>${url.pathname}</title><h1 id="at">${url.pathname}</h1>`
      return new Response(body, { headers: { 'content-type': 'text/html' } })
    },
  })
  const rpOrigin = `http://127.0.0.1:${relyingParty.port}`
  const rp = {
    clientId: 'northwind',
    secret: 'northwind-secret-0123456789abcdef',
    redirectUri: `${rpOrigin}/cb`,
  }

  beforeAll(async () => {
    if (!installed) throw new Error(`${chromiumPath} is missing and PORTICO_REQUIRE_SERVICES is set`)
    server = await startSignInServer({
      config: {
        seed: {
          identityResources: ['openid'],
          clients: [
            {
              clientId: rp.clientId,
              clientSecrets: [{ value: rp.secret }],
              allowedGrantTypes: ['authorization_code'],
              redirectUris: [rp.redirectUri],
              postLogoutRedirectUris: [`${rpOrigin}/bye`],
              frontChannelLogoutUri: `${rpOrigin}/fc`,
              allowedScopes: ['openid'],
            },
          ],
          users: [{ subjectId: alice.subjectId, username: alice.username, password: alice.password }],
        },
      },
    })
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    relyingParty.stop(true)
  })

  async function signedOutPage(javaScriptEnabled: boolean) {
    const context = await browser.newContext({ javaScriptEnabled })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.location().url.endsWith('/favicon.ico')) return
      if (message.type() === 'error' || message.text().includes('Content Security Policy'))
        problems.push(`${message.location().url}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(error.message))

    const config = await discover(server.issuer, rp)
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const authorize = oidc.buildAuthorizationUrl(config, {
      redirect_uri: rp.redirectUri,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    })
    await page.goto(authorize.toString())
    await page.fill('input[name="username"]', alice.username)
    await page.fill('input[type="password"]', alice.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${rp.redirectUri}?**`)
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    })
    const logout = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: `${rpOrigin}/bye`,
      state: 'bye-state',
    })
    frontChannel.length = 0
    await page.goto(logout.toString())
    return { context, page, problems, sid: tokens.claims()!.sid }
  }

  test('the front-channel iframe loads under the page CSP, then the script returns to the client with state', async () => {
    const { context, page, problems, sid } = await signedOutPage(true)
    await page.waitForURL(`${rpOrigin}/bye?**`)
    expect(new URL(page.url()).searchParams.get('state')).toBe('bye-state')
    expect(frontChannel.map((q) => [q.get('iss'), q.get('sid')])).toEqual([[server.issuer, sid as string]])
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)

  test('without JavaScript the iframe still loads and the page links back', async () => {
    const { context, page, problems } = await signedOutPage(false)
    await page.waitForLoadState('load')
    expect(page.url().startsWith(`${server.issuer}/connect/endsession`)).toBe(true)
    expect(await page.textContent('h1')).toBe('You are signed out')
    expect(frontChannel).toHaveLength(1)
    await page.getByRole('link', { name: /Return to/ }).click()
    await page.waitForURL(`${rpOrigin}/bye?state=bye-state`)
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)
})
