/**
 * Signing out in real Chromium (OIDC RP-Initiated Logout 1.0 §2): without an id_token_hint
 * Portico asks first, on a confirmation page; after it the logged-out page links back to the
 * client's registered post-logout URI, and the session is gone. Both pages pass axe at 1280 and
 * 320 px, and the Sign out button shows a keyboard focus ring.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { discover, startSignIn } from '../sign-in/flow.ts'
import { rp } from '../sign-in/seed.ts'
import { type SignInServer, startSignInServer } from '../sign-in/server.ts'
import { launchBrowser, openPage, skipBrowser } from './browser.ts'
import { checkPage, focusStyleAfterTab, hasVisibleFocus } from './page-checks.ts'

const bob = { username: 'bob', password: 'bob-password-1234' }
const client = rp.logout

describe.skipIf(skipBrowser)('logout pages in Chromium', () => {
  let browser: Browser
  let server: SignInServer

  beforeAll(async () => {
    server = await startSignInServer()
    browser = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  /** The client's own site, which the browser cannot reach: answered in place. */
  async function serveClient(page: Page): Promise<void> {
    await page.route(`${new URL(client.redirectUri).origin}/**`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><html lang="en"><title>client</title><h1 id="at">client</h1></html>',
      }),
    )
  }

  async function authorizeUrl(): Promise<string> {
    const started = await startSignIn(await discover(server.issuer, client), client, {
      scope: 'openid profile',
    })
    return started.url.toString()
  }

  test('confirm, signed out, back to the client; the next authorization asks for the password again', async () => {
    const { context, page, problems } = await openPage(browser)
    await serveClient(page)
    await page.goto(await authorizeUrl())
    await page.getByLabel('User name').fill(bob.username)
    await page.getByLabel('Password').fill(bob.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${client.redirectUri}?**`)

    const endSession = new URL(`${server.issuer}/connect/endsession`)
    endSession.search = new URLSearchParams({
      client_id: client.clientId,
      post_logout_redirect_uri: client.postLogoutRedirectUri,
      state: 'bye',
    }).toString()
    await page.goto(endSession.toString())
    expect(await page.textContent('h1')).toBe('Sign out?')
    await checkPage(page, 'logout')
    const signOut = page.getByRole('button', { name: 'Sign out' })
    expect(hasVisibleFocus(await focusStyleAfterTab(page, signOut))).toBe(true)

    await signOut.click()
    await page.waitForURL(`${server.issuer}/account/logout`)
    expect(await page.textContent('h1')).toBe('You are signed out')
    await checkPage(page, 'logged-out')
    const back = page.getByRole('link', { name: /Return to/ })
    expect(await back.getAttribute('href')).toBe(`${client.postLogoutRedirectUri}?state=bye`)

    // The session is gone: authorizing again shows the login form instead of a code.
    await page.goto(await authorizeUrl())
    await page.waitForURL(`${server.issuer}/account/login?**`)
    expect(await page.getByLabel('Password').isVisible()).toBe(true)
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)
})
