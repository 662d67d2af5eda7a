/**
 * Signing in through the real pages in a real browser: Debian's Chromium driven by
 * playwright-core, a relying party on its own port (openid-client), Portico on the memory
 * store. The pages must work as served, under their own CSP (no violation, no script error),
 * with and without JavaScript.
 *
 * Skipped only when /usr/bin/chromium is absent and PORTICO_REQUIRE_SERVICES is unset; CI sets
 * it (and `.ci/run` installs chromium), so there a missing browser fails. With
 * PORTICO_SCREENSHOTS=1 the login, consent and form_post pages are saved as
 * docs/screenshots/signin-*.png at 1280 and 320 px wide.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { chromiumPath, launchChromium } from '../../ui/fixtures/chromium.ts'
import { type RelyingPartyServer, startRelyingParty } from './relying-party.ts'
import { type SignInServer, startSignInServer } from './server.ts'

const installed = existsSync(chromiumPath)
const required = Boolean(process.env.PORTICO_REQUIRE_SERVICES)
if (!installed && !required) {
  console.warn(
    `chromium.test.ts skipped: ${chromiumPath} is not installed (apt-get install chromium); ` +
      'with PORTICO_REQUIRE_SERVICES=1 this is a failure',
  )
}
const screenshots = process.env.PORTICO_SCREENSHOTS
  ? join(import.meta.dir, '../../../docs/screenshots')
  : undefined

const client = { clientId: 'northwind', secret: 'northwind-secret-0123456789abcdef' }
const alice = { username: 'alice', password: 'alice-password-1234', subjectId: 'alice-sub' }

/** One client and one user, the client's redirect URI on the relying party's port. */
function seed(redirectUri: string) {
  return {
    identityResources: ['openid', 'profile', 'email'],
    clients: [
      {
        clientId: client.clientId,
        clientName: 'Northwind Traders',
        clientUri: 'https://northwind.example',
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
        claims: { name: 'Alice Smith', email: 'alice@example.test', email_verified: true },
      },
    ],
  }
}

/** A browser context that records CSP violations, script errors and Portico's page headers. */
interface Watched {
  context: BrowserContext
  page: Page
  problems: string[]
  /** Content-Security-Policy of every Portico document the browser loaded. */
  policies: string[]
}

describe.skipIf(!installed && !required)('sign-in in Chromium through the real pages', () => {
  let browser: Browser
  let server: SignInServer
  let rp: RelyingPartyServer

  beforeAll(async () => {
    if (!installed) {
      throw new Error(
        `${chromiumPath} is missing and PORTICO_REQUIRE_SERVICES is set: apt-get install chromium`,
      )
    }
    rp = startRelyingParty(client)
    server = await startSignInServer({ config: { seed: seed(rp.redirectUri) } })
    await rp.connect(server.issuer)
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    rp?.close()
  })

  async function open(javaScriptEnabled = true): Promise<Watched> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled })
    const page = await context.newPage()
    const problems: string[] = []
    const policies: string[] = []
    page.on('console', (message) => {
      // The browser's own favicon request is not the page's doing.
      if (message.location().url.endsWith('/favicon.ico')) return
      if (message.type() === 'error' || message.text().includes('Content Security Policy'))
        problems.push(`${message.location().url}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('response', (response) => {
      if (response.request().resourceType() === 'document' && response.url().startsWith(server.issuer)) {
        policies.push(response.headers()['content-security-policy'] ?? '(none)')
      }
    })
    return { context, page, problems, policies }
  }

  async function shoot(page: Page, name: string): Promise<void> {
    if (!screenshots) return
    for (const [width, height] of [
      [1280, 800],
      [320, 640],
    ] as const) {
      await page.setViewportSize({ width, height })
      await page.screenshot({ path: join(screenshots, `signin-${name}-${width}.png`), fullPage: true })
    }
    await page.setViewportSize({ width: 1280, height: 800 })
  }

  /** From the relying party's link through the login page to the consent page. */
  async function logInFrom(page: Page, link: string): Promise<void> {
    await page.goto(rp.origin)
    await page.click(link)
    await page.waitForURL(`${server.issuer}/account/login?**`)
    expect(page.url().startsWith(server.issuer)).toBe(true)
    await page.fill('input[name="username"]', alice.username)
    await page.fill('input[type="password"]', alice.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.issuer}/consent?**`)
  }

  function expectCleanPages(watched: Watched): void {
    expect(watched.problems).toEqual([])
    // Not vacuous: every Portico page the browser loaded was under a nonce-based policy.
    expect(watched.policies.length).toBeGreaterThan(0)
    for (const policy of watched.policies) expect(policy).toMatch(/script-src 'nonce-[^']+'/)
  }

  test('login, consent, back at the relying party with a verified ID Token and the user name', async () => {
    const watched = await open()
    const { page } = watched
    await page.goto(rp.origin)
    await page.click('#sign-in')
    await page.waitForURL(`${server.issuer}/account/login?**`)
    expect(await page.title()).toBe('Sign in · Portico')
    await shoot(page, 'login')
    await page.fill('input[name="username"]', alice.username)
    await page.fill('input[type="password"]', alice.password)
    await page.getByRole('button', { name: 'Sign in' }).click()

    await page.waitForURL(`${server.issuer}/consent?**`)
    expect(await page.textContent('h1')).toBe('Northwind Traders')
    await shoot(page, 'consent')
    await page.getByRole('button', { name: 'Allow' }).click()

    await page.waitForURL(`${rp.redirectUri}?**`)
    expect(await page.textContent('#greeting')).toBe('Hello, Alice Smith')
    expect(rp.failures).toEqual([])
    const signIn = rp.signIns.at(-1)!
    expect(signIn.via).toBe('query')
    expect(signIn.claims).toMatchObject({
      iss: server.issuer,
      sub: alice.subjectId,
      aud: client.clientId,
      amr: ['pwd'],
    })
    expect(typeof signIn.claims.sid).toBe('string')
    expect(signIn.userinfo).toMatchObject({ sub: alice.subjectId, email: 'alice@example.test' })
    expectCleanPages(watched)
    await watched.context.close()
  }, 60_000)

  test('form_post: the response page posts itself to the relying party under its CSP nonce', async () => {
    const watched = await open()
    const { page } = watched
    await logInFrom(page, '#sign-in-form-post')
    const before = rp.signIns.length
    await page.getByRole('button', { name: 'Allow' }).click()
    // The consent POST answers with the form_post page, whose nonce-bound script submits it.
    await page.waitForURL(rp.redirectUri)
    expect(await page.textContent('#greeting')).toBe('Hello, Alice Smith')
    expect(rp.failures).toEqual([])
    expect(rp.signIns).toHaveLength(before + 1)
    expect(rp.signIns.at(-1)!.via).toBe('form_post')
    expectCleanPages(watched)
    await watched.context.close()
  }, 60_000)

  test('form_post without JavaScript: the page stays and its Continue button completes the sign-in', async () => {
    const watched = await open(false)
    const { page } = watched
    await logInFrom(page, '#sign-in-form-post')
    const before = rp.signIns.length
    await page.getByRole('button', { name: 'Allow' }).click()
    await page.waitForLoadState('load')
    // Still on Portico: the answer to the consent POST is the form_post page itself.
    expect(page.url().startsWith(`${server.issuer}/consent`)).toBe(true)
    const cont = page.getByRole('button', { name: 'Continue' })
    await expect(cont.isVisible()).resolves.toBe(true)
    expect(rp.signIns).toHaveLength(before)
    await shoot(page, 'form-post')
    await cont.click()
    await page.waitForURL(rp.redirectUri)
    expect(await page.textContent('#greeting')).toBe('Hello, Alice Smith')
    expect(rp.failures).toEqual([])
    expect(rp.signIns.at(-1)!.via).toBe('form_post')
    expectCleanPages(watched)
    await watched.context.close()
  }, 60_000)
})
