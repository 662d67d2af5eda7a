/**
 * The pages in the second shipped language, in real Chromium: `ui_locales=de` on the
 * authorization request (OIDC Core §3.1.2.1) gives German login and consent pages, carried
 * across the redirect between them; a browser that prefers German (Accept-Language, RFC 9110
 * §12.5.4) gets the German device page without asking. `<html lang="de">` lets screen readers
 * pronounce it; axe checks each page at 1280 and 320 px, where longer German words must still fit.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { addDeviceClients } from '../sign-in/device-clients.ts'
import { rp, users } from '../sign-in/seed.ts'
import { type SignInServer, startSignInServer } from '../sign-in/server.ts'
import { launchBrowser, openPage, skipBrowser } from './browser.ts'
import { checkPage, focusStyleAfterTab, hasVisibleFocus } from './page-checks.ts'

describe.skipIf(skipBrowser)('German pages in Chromium', () => {
  let browser: Browser
  let server: SignInServer

  beforeAll(async () => {
    server = await startSignInServer()
    await addDeviceClients(server)
    browser = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  test('ui_locales=de: German login (also its error) and consent, then the code reaches the client', async () => {
    // An English-speaking browser: the request's ui_locales wins over Accept-Language.
    const { context, page, problems } = await openPage(browser, { locale: 'en-US' })
    await page.route(`${new URL(rp.web.redirectUri).origin}/**`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>client</title>' }),
    )
    const authorize = new URL(`${server.issuer}/connect/authorize`)
    authorize.search = new URLSearchParams({
      client_id: rp.web.clientId,
      redirect_uri: rp.web.redirectUri,
      response_type: 'code',
      scope: 'openid profile email',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 'de',
      ui_locales: 'fr-CA de',
    }).toString()
    await page.goto(authorize.toString())
    await page.waitForURL(`${server.issuer}/account/login?**`)
    expect(await page.getAttribute('html', 'lang')).toBe('de')
    expect(await page.title()).toBe('Anmelden · Portico')
    expect(await page.textContent('h1')).toBe('Willkommen')
    await checkPage(page, 'de-login')
    const submit = page.getByRole('button', { name: 'Anmelden' })
    expect(hasVisibleFocus(await focusStyleAfterTab(page, submit))).toBe(true)

    await page.getByLabel('Benutzername').fill(users.bob.username)
    await page.getByLabel('Passwort').fill('falsch')
    await submit.click()
    await page.waitForLoadState('load')
    expect(await page.getByRole('alert').textContent()).toBe('Benutzername oder Passwort ist falsch.')
    await checkPage(page, 'de-login-error')

    await page.getByLabel('Passwort').fill(users.bob.password)
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await page.waitForURL(`${server.issuer}/consent?**`)
    expect(await page.getAttribute('html', 'lang')).toBe('de')
    expect(await page.textContent('main')).toContain('Angemeldet als Bob')
    await checkPage(page, 'de-consent')
    await page.getByRole('button', { name: 'Erlauben' }).click()
    await page.waitForURL(`${rp.web.redirectUri}?**`)
    expect(new URL(page.url()).searchParams.get('code')).toBeTruthy()
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)

  test('a browser preferring German gets the German device page; English stays the default', async () => {
    const german = await openPage(browser, { locale: 'de-DE' })
    await german.page.goto(`${server.issuer}/device`)
    expect(await german.page.getAttribute('html', 'lang')).toBe('de')
    expect(await german.page.textContent('h1')).toBe('Gerät verbinden')
    expect(await german.page.getByRole('button', { name: 'Weiter' }).isVisible()).toBe(true)
    await checkPage(german.page, 'de-device')
    expect(german.problems).toEqual([])
    await german.context.close()

    const english = await openPage(browser, { locale: 'en-GB' })
    await english.page.goto(`${server.issuer}/device`)
    expect(await english.page.getAttribute('html', 'lang')).toBe('en')
    expect(await english.page.textContent('h1')).toBe('Connect a device')
    await english.context.close()
  }, 60_000)

  test('sign-out asked in German (ui_locales on the end-session request) and the logged-out page', async () => {
    const { context, page, problems } = await openPage(browser, { locale: 'en-US' })
    await page.route(`${new URL(rp.logout.redirectUri).origin}/**`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>client</title>' }),
    )
    // Signed in first: without a session there is nothing to confirm.
    const authorize = new URL(`${server.issuer}/connect/authorize`)
    authorize.search = new URLSearchParams({
      client_id: rp.logout.clientId,
      redirect_uri: rp.logout.redirectUri,
      response_type: 'code',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString()
    await page.goto(authorize.toString())
    await page.getByLabel('User name').fill(users.bob.username)
    await page.getByLabel('Password').fill(users.bob.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${rp.logout.redirectUri}?**`)

    const endSession = new URL(`${server.issuer}/connect/endsession`)
    endSession.search = new URLSearchParams({ client_id: rp.logout.clientId, ui_locales: 'de' }).toString()
    await page.goto(endSession.toString())
    expect(await page.getAttribute('html', 'lang')).toBe('de')
    expect(await page.textContent('h1')).toBe('Abmelden?')
    await checkPage(page, 'de-logout')
    await page.getByRole('button', { name: 'Abmelden' }).click()
    await page.waitForURL(`${server.issuer}/account/logout`)
    // The confirmation form carried ui_locales, so the answer stays German.
    expect(await page.textContent('h1')).toBe('Sie sind abgemeldet')
    await checkPage(page, 'de-logged-out')
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)
})
