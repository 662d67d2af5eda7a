/**
 * The embedded example in real Chromium: Portico mounted under /auth of the host's Hono app
 * (examples/embedded). The browser goes from the authorization URL through the login page at
 * /auth/account/login back to the host's /callback with a code, which the host's relying party
 * (openid-client) redeems for tokens issued by `…/auth`. The mounted login page passes axe at
 * 1280 and 320 px like the standalone one.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import * as oidc from 'openid-client'
import type { Browser } from 'playwright-core'
import { type Host, startHost } from '../../../examples/embedded/host.ts'
import { launchBrowser, openPage, skipBrowser } from './browser.ts'
import { checkPage, focusStyleAfterTab, hasVisibleFocus } from './page-checks.ts'

describe.skipIf(skipBrowser)('the embedded example in Chromium', () => {
  let browser: Browser
  let host: Host

  beforeAll(async () => {
    host = await startHost()
    browser = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
  })

  test('sign-in through the host app under /auth ends at the host with a code that gets tokens', async () => {
    const issuer = `${host.url}/auth`
    const config = await oidc.discovery(
      new URL(issuer),
      'shop',
      undefined,
      oidc.ClientSecretBasic('shop-secret-0123456789abcdef'),
      { execute: [oidc.allowInsecureRequests] },
    )
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const authorize = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${host.url}/callback`,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    })

    const { context, page, problems } = await openPage(browser)
    await page.goto(authorize.toString())
    await page.waitForURL(`${issuer}/account/login?**`)
    await checkPage(page, 'embedded-login')
    const signIn = page.getByRole('button', { name: 'Sign in' })
    expect(hasVisibleFocus(await focusStyleAfterTab(page, signIn))).toBe(true)
    // The form posts under the mount path, where Portico answers.
    expect(await page.locator('form').getAttribute('action')).toStartWith(`${issuer}/`)

    await page.getByLabel('User name').fill('ada')
    await page.getByLabel('Password').fill('ada-password-123')
    // The browser's request to the host's callback carries the code; what the host renders there
    // is the host's business, not Portico's.
    const callback = page.waitForRequest((request) => request.url().startsWith(`${host.url}/callback?`))
    await signIn.click()
    const callbackUrl = new URL((await callback).url())
    expect(callbackUrl.searchParams.get('iss')).toBe(issuer)

    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    })
    expect(tokens.claims()).toMatchObject({ iss: issuer, aud: 'shop' })
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)
    expect(info.name).toBe('Ada Lovelace')
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)
})
