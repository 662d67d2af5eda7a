/**
 * Signing in through Portico's pages in real Chromium, each page checked with axe at 1280 and
 * 320 px, for sideways scroll, and for a visible keyboard focus on its primary button: login
 * and consent ending at a relying party (openid-client) that redeems the code, a refused
 * login, and the error page for an unknown client.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { type RelyingPartyServer, startRelyingParty } from '../sign-in/relying-party.ts'
import { type SignInServer, startSignInServer } from '../sign-in/server.ts'
import { launchBrowser, openPage, skipBrowser } from './browser.ts'
import { checkPage, focusStyleAfterTab, hasVisibleFocus } from './page-checks.ts'

const client = { clientId: 'northwind', secret: 'northwind-secret-0123456789abcdef' }
const alice = { username: 'alice', password: 'alice-password-1234', subjectId: 'alice-sub' }

function seed(redirectUri: string) {
  return {
    identityResources: ['openid', 'profile', 'email'],
    clients: [
      {
        clientId: client.clientId,
        clientName: 'Northwind Traders',
        clientSecrets: [{ value: client.secret }],
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [redirectUri],
        allowedScopes: ['openid', 'profile', 'email'],
        requireConsent: true,
      },
    ],
    users: [
      {
        subjectId: alice.subjectId,
        username: alice.username,
        password: alice.password,
        claims: { name: 'Alice Smith', email: 'alice@example.test' },
      },
    ],
  }
}

describe.skipIf(skipBrowser)('sign-in pages in Chromium', () => {
  let browser: Browser
  let server: SignInServer
  let rp: RelyingPartyServer

  beforeAll(async () => {
    rp = startRelyingParty(client)
    server = await startSignInServer({ config: { seed: seed(rp.redirectUri) } })
    await rp.connect(server.issuer)
    browser = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    rp?.close()
  })

  test('login and consent pass axe at 1280 and 320 px, and the code reaches the client, which gets tokens', async () => {
    const { context, page, problems } = await openPage(browser)
    await page.goto(rp.origin)
    await page.click('#sign-in')
    await page.waitForURL(`${server.issuer}/account/login?**`)
    await checkPage(page, 'login')
    const signIn = page.getByRole('button', { name: 'Sign in' })
    expect(hasVisibleFocus(await focusStyleAfterTab(page, signIn))).toBe(true)

    await page.getByLabel('User name').fill(alice.username)
    await page.getByLabel('Password').fill(alice.password)
    await signIn.click()
    await page.waitForURL(`${server.issuer}/consent?**`)
    await checkPage(page, 'consent')
    const allow = page.getByRole('button', { name: 'Allow' })
    expect(hasVisibleFocus(await focusStyleAfterTab(page, allow))).toBe(true)

    await allow.click()
    await page.waitForURL(`${rp.redirectUri}?**`)
    expect(await page.textContent('#greeting')).toBe('Hello, Alice Smith')
    // The relying party redeemed the code: a verified ID Token, and userinfo answered its access token.
    expect(rp.failures).toEqual([])
    const completed = rp.signIns.at(-1)!
    expect(completed.claims).toMatchObject({ iss: server.issuer, sub: alice.subjectId, aud: client.clientId })
    expect(completed.userinfo).toMatchObject({ sub: alice.subjectId, email: 'alice@example.test' })
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)

  test('without JavaScript the same sign-in completes: plain forms and redirects', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    const before = rp.signIns.length
    await page.goto(rp.origin)
    await page.click('#sign-in')
    await page.waitForURL(`${server.issuer}/account/login?**`)
    await page.getByLabel('User name').fill(alice.username)
    await page.getByLabel('Password').fill(alice.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.issuer}/consent?**`)
    await page.getByRole('button', { name: 'Allow' }).click()
    await page.waitForURL(`${rp.redirectUri}?**`)
    expect(await page.textContent('#greeting')).toBe('Hello, Alice Smith')
    expect(rp.failures).toEqual([])
    expect(rp.signIns).toHaveLength(before + 1)
    await context.close()
  }, 60_000)

  test('a wrong password: the error is announced, tied to both fields, and focus is on the password', async () => {
    const { context, page, problems } = await openPage(browser)
    await page.goto(rp.origin)
    await page.click('#sign-in')
    await page.waitForURL(`${server.issuer}/account/login?**`)
    const signInsBefore = rp.signIns.length
    await page.getByLabel('User name').fill(alice.username)
    await page.getByLabel('Password').fill('not-her-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForLoadState('load')

    const alert = page.getByRole('alert')
    expect(await alert.textContent()).toMatch(/user name or password/i)
    const alertId = await alert.getAttribute('id')
    expect(alertId).toBeTruthy()
    for (const label of ['User name', 'Password']) {
      const field = page.getByLabel(label)
      expect(await field.getAttribute('aria-invalid')).toBe('true')
      expect((await field.getAttribute('aria-describedby'))?.split(' ')).toContain(alertId!)
    }
    // The user name is kept; the cursor waits in the password field.
    expect(await page.getByLabel('User name').inputValue()).toBe(alice.username)
    expect(await page.getByLabel('Password').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(
      true,
    )
    await checkPage(page, 'login-error')
    // Still on the login page: nothing reached the client.
    expect(page.url().startsWith(`${server.issuer}/account/login`)).toBe(true)
    expect(rp.signIns).toHaveLength(signInsBefore)
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)

  test('an unknown client gets the error page, not a redirect; it passes axe at both widths', async () => {
    const { context, page, problems } = await openPage(browser)
    const authorize = new URL(`${server.issuer}/connect/authorize`)
    authorize.search = new URLSearchParams({
      client_id: 'nobody',
      redirect_uri: 'https://attacker.example.test/cb',
      response_type: 'code',
      scope: 'openid',
    }).toString()
    const response = await page.goto(authorize.toString())
    expect(response?.status()).toBe(400)
    expect(page.url().startsWith(server.issuer)).toBe(true)
    expect(await page.locator('h1').count()).toBe(1)
    await checkPage(page, 'error')
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)
})
