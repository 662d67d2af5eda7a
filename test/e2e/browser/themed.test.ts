/**
 * A themed Portico (`ui.theme`, docs/theming.md) in real Chromium: the product name in the
 * wordmark's place and the title, the team's logo, its colours through the CSS variables and
 * its extra stylesheet, all applied under the pages' CSP (checked on the computed style, not
 * the markup). The themed login, consent, device and error pages pass axe at 1280 and 320 px.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { addDeviceClients } from '../sign-in/device-clients.ts'
import { rp, users } from '../sign-in/seed.ts'
import { type SignInServer, startSignInServer } from '../sign-in/server.ts'
import { acmeTheme, serveBrand } from './acme-theme.ts'
import { launchBrowser, openPage, skipBrowser } from './browser.ts'
import { checkPage, focusStyleAfterTab, hasVisibleFocus } from './page-checks.ts'

describe.skipIf(skipBrowser)('a themed Portico in Chromium', () => {
  let browser: Browser
  let server: SignInServer

  beforeAll(async () => {
    server = await startSignInServer({ config: { ui: { theme: acmeTheme } } })
    await addDeviceClients(server)
    browser = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  /** The brand's CDN and the client's callback, answered in place (the test has no network). */
  async function serveOutside(page: Page): Promise<void> {
    await serveBrand(page)
    await page.route(`${new URL(rp.web.redirectUri).origin}/**`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>client</title>' }),
    )
  }

  function authorizeUrl(): string {
    const url = new URL(`${server.issuer}/connect/authorize`)
    url.search = new URLSearchParams({
      client_id: rp.web.clientId,
      redirect_uri: rp.web.redirectUri,
      response_type: 'code',
      scope: 'openid profile email',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 'themed',
    }).toString()
    return url.toString()
  }

  /** What the theme changed, as the browser computed it. */
  async function themedLook(page: Page) {
    return page.evaluate<{ title: string; logo: string | null; logoLoaded: boolean; h1Weight: string }>(
      `(() => {
        const logo = document.querySelector('header img')
        return {
          title: document.title,
          logo: logo && logo.getAttribute('alt'),
          logoLoaded: Boolean(logo && logo.complete && logo.naturalWidth > 0),
          h1Weight: getComputedStyle(document.querySelector('h1')).fontWeight,
        }
      })()`,
    )
  }

  test('login and consent carry the product name, logo, colours and extra stylesheet', async () => {
    const { context, page, problems } = await openPage(browser)
    await serveOutside(page)
    await page.goto(authorizeUrl())
    await page.waitForURL(`${server.issuer}/account/login?**`)
    expect(await themedLook(page)).toEqual({
      title: 'Sign in · Acme ID',
      logo: 'Acme ID',
      logoLoaded: true,
      h1Weight: '800',
    })
    const signIn = page.getByRole('button', { name: 'Sign in' })
    const button = await signIn.evaluate((element) => {
      const style = element.ownerDocument.defaultView!.getComputedStyle(element)
      return { background: style.backgroundColor, radius: style.borderTopLeftRadius }
    })
    expect(button).toEqual({ background: 'rgb(15, 118, 110)', radius: '6px' })
    await checkPage(page, 'themed-login')
    const focus = await focusStyleAfterTab(page, signIn)
    expect(hasVisibleFocus(focus)).toBe(true)
    // The ring takes the theme's focus colour (#0d9488).
    expect(focus.outline).toContain('rgb(13, 148, 136)')

    await page.getByLabel('User name').fill(users.bob.username)
    await page.getByLabel('Password').fill(users.bob.password)
    await signIn.click()
    await page.waitForURL(`${server.issuer}/consent?**`)
    expect((await themedLook(page)).logo).toBe('Acme ID')
    await checkPage(page, 'themed-consent')
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)

  test('the device and error pages are themed too and pass axe', async () => {
    const { context, page, problems } = await openPage(browser)
    await serveOutside(page)
    await page.goto(`${server.issuer}/device`)
    expect(await themedLook(page)).toMatchObject({ title: 'Connect a device · Acme ID', logoLoaded: true })
    await checkPage(page, 'themed-device')

    const unknown = new URL(`${server.issuer}/connect/authorize`)
    unknown.search = new URLSearchParams({
      client_id: 'nobody',
      response_type: 'code',
      scope: 'openid',
    }).toString()
    await page.goto(unknown.toString())
    expect(await themedLook(page)).toMatchObject({ logo: 'Acme ID', logoLoaded: true, h1Weight: '800' })
    await checkPage(page, 'themed-error')
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)
})
