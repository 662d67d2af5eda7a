/**
 * The device flow's pages in real Chromium (RFC 8628 §3.3): a TV asks for a code, the user
 * opens the verification URI, types the code, signs in, allows on the consent page and sees the
 * done page; the TV's next poll gets tokens (§3.5). A mistyped code is refused on the page with
 * the message tied to the field. Every page passes axe at 1280 and 320 px.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { addDeviceClients, devices } from '../sign-in/device-clients.ts'
import { users } from '../sign-in/seed.ts'
import { type SignInServer, startSignInServer } from '../sign-in/server.ts'
import { launchBrowser, openPage, skipBrowser } from './browser.ts'
import { checkPage, focusStyleAfterTab, hasVisibleFocus } from './page-checks.ts'

interface DeviceAuthorization {
  device_code: string
  user_code: string
  verification_uri: string
}

describe.skipIf(skipBrowser)('device verification pages in Chromium', () => {
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

  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  })

  async function authorizeDevice(): Promise<DeviceAuthorization> {
    const response = await fetch(
      `${server.issuer}/connect/deviceauthorization`,
      form({ client_id: devices.tv.clientId, scope: 'openid profile' }),
    )
    expect(response.status).toBe(200)
    return (await response.json()) as DeviceAuthorization
  }

  function poll(deviceCode: string) {
    return fetch(
      `${server.issuer}/connect/token`,
      form({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: deviceCode,
        client_id: devices.tv.clientId,
      }),
    )
  }

  test('code, login, consent, done: the TV then receives its tokens', async () => {
    const grant = await authorizeDevice()
    const { context, page, problems } = await openPage(browser)
    await page.goto(grant.verification_uri)
    expect(page.url().startsWith(server.issuer)).toBe(true)
    await checkPage(page, 'device')
    const next = page.getByRole('button', { name: 'Continue' })
    expect(hasVisibleFocus(await focusStyleAfterTab(page, next))).toBe(true)

    await page.getByLabel('Code').fill(grant.user_code)
    await next.click()
    await page.waitForURL(`${server.issuer}/account/login?**`)
    await page.getByLabel('User name').fill(users.bob.username)
    await page.getByLabel('Password').fill(users.bob.password)
    await page.getByRole('button', { name: 'Sign in' }).click()

    await page.waitForURL(`${server.issuer}/device/callback?**`)
    // The consent page shows the code, for the user to compare with the TV's screen (§5.4).
    expect(await page.textContent('main')).toContain(grant.user_code)
    expect(await page.textContent('main')).toContain(devices.tv.clientName)
    await checkPage(page, 'device-consent')
    const allow = page.getByRole('button', { name: 'Allow' })
    expect(hasVisibleFocus(await focusStyleAfterTab(page, allow))).toBe(true)

    await allow.click()
    await page.waitForURL(`${server.issuer}/device/consent`)
    expect(await page.textContent('h1')).toBe('Device connected')
    await checkPage(page, 'device-done')

    const tokens = await poll(grant.device_code)
    expect(tokens.status).toBe(200)
    const body = (await tokens.json()) as Record<string, unknown>
    expect(typeof body.access_token).toBe('string')
    expect(typeof body.id_token).toBe('string')
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)

  test('a mistyped code: the page says so, the field is marked and described by the message', async () => {
    const grant = await authorizeDevice()
    const { context, page, problems } = await openPage(browser)
    await page.goto(grant.verification_uri)
    await page.getByLabel('Code').fill('BBBB-BBBB')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForLoadState('load')
    const alert = page.getByRole('alert')
    expect(await alert.textContent()).toMatch(/not valid|expired/)
    const field = page.getByLabel('Code')
    expect(await field.getAttribute('aria-invalid')).toBe('true')
    expect((await field.getAttribute('aria-describedby'))?.split(' ')).toContain(
      (await alert.getAttribute('id'))!,
    )
    await checkPage(page, 'device-error')
    // The TV is still waiting: nothing was approved.
    expect(((await (await poll(grant.device_code)).json()) as { error: string }).error).toBe(
      'authorization_pending',
    )
    expect(problems).toEqual([])
    await context.close()
  }, 60_000)
})
