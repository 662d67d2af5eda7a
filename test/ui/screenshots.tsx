/** @jsxImportSource hono/jsx */
/**
 * Screenshots of the sign-in pages as a browser shows them, for review (a script, not a test):
 *
 *   bun test/ui/screenshots.tsx       # needs Debian's chromium at /usr/bin/chromium
 *
 * Each page is served from a tiny Hono app behind `pageHeaders()`, so the real CSP applies:
 * a style or script the policy blocks fails the run. The form_post page is also submitted
 * for real and the parameters the client would receive are compared with those sent.
 * PNGs land in docs/screenshots/ (1280x800 and 320x640, full page; some in dark mode too).
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Hono } from 'hono'
import type { Browser, Page } from 'playwright-core'
import { pageHeaders } from '../../server/middleware/page-headers.ts'
import { ConsentPage, type ScopeChoice } from '../../ui/pages/consent.tsx'
import { DeviceCodePage, DeviceDonePage } from '../../ui/pages/device.tsx'
import { ErrorPage } from '../../ui/pages/error.tsx'
import { FormPostPage } from '../../ui/pages/form-post.tsx'
import { LoginPage } from '../../ui/pages/login.tsx'
import { launchChromium } from './fixtures/chromium.ts'

const OUT = join(import.meta.dir, '../../docs/screenshots')
const CLIENT = 'Northwind Traders Customer Portal for Enterprise Accounts (Staging)'
const LOGO = 'https://northwind.example/logo.svg'
const FORM_POST_FIELDS = { code: 'SplxlOBeZQQYbYS6WxSbIA', state: `a"b'c<d>&e`, iss: 'http://127.0.0.1' }

const identityScopes: ScopeChoice[] = [
  { name: 'openid', displayName: 'Your user identifier', required: true, checked: true },
  {
    name: 'profile',
    displayName: 'User profile',
    description: 'Your name, picture, locale and time zone',
    required: false,
    checked: true,
  },
  { name: 'email', displayName: 'Your email address', required: false, checked: true },
  { name: 'phone', displayName: 'Your phone number', required: false, checked: false },
  {
    name: 'offline_access',
    displayName: 'Offline access',
    description: 'Keep access while you are not signed in',
    required: false,
    checked: true,
    emphasize: true,
  },
]
const apiScopes: ScopeChoice[] = [
  { name: 'orders.read', displayName: 'Read your orders', required: true, checked: true },
  {
    name: 'orders.write',
    displayName: 'Place and cancel orders',
    description: 'Create new orders and cancel open ones on your behalf',
    required: false,
    checked: false,
    emphasize: true,
  },
  { name: 'invoices.read', displayName: 'Read your invoices', required: false, checked: true },
]

function sampleApp(): Hono {
  const app = new Hono()
  const login = { action: '/login', returnUrl: '/authorize/callback?id=abc', antiForgery: 'af-token' }
  app.get('/login', pageHeaders(), (c) =>
    c.html(<LoginPage {...login} clientName={CLIENT} nonce={c.get('cspNonce')} />),
  )
  app.get('/login-error', pageHeaders(), (c) =>
    c.html(
      <LoginPage
        {...login}
        clientName={CLIENT}
        username="alice"
        error="Invalid user name or password."
        nonce={c.get('cspNonce')}
      />,
    ),
  )
  app.get('/consent', pageHeaders(), (c) =>
    c.html(
      <ConsentPage
        {...login}
        action="/consent"
        client={{ name: CLIENT, uri: 'https://northwind.example', logoUri: LOGO }}
        identityScopes={identityScopes}
        apiScopes={apiScopes}
        allowRemember
        nonce={c.get('cspNonce')}
      />,
    ),
  )
  app.get('/form-post', pageHeaders(), (c) =>
    c.html(<FormPostPage action="/callback" fields={FORM_POST_FIELDS} nonce={c.get('cspNonce')} />),
  )
  app.post('/callback', async (c) => c.json(await c.req.parseBody()))
  app.get('/device', pageHeaders(), (c) =>
    c.html(
      <DeviceCodePage
        action="/device"
        antiForgery="af-token"
        userCode="BDFH-KLMN"
        nonce={c.get('cspNonce')}
      />,
    ),
  )
  app.get('/device-error', pageHeaders(), (c) =>
    c.html(
      <DeviceCodePage
        action="/device"
        antiForgery="af-token"
        userCode="BDFH-KLMX"
        error="That code is not valid or has expired. Check your device and try again."
        nonce={c.get('cspNonce')}
      />,
    ),
  )
  app.get('/device-consent', pageHeaders(), (c) =>
    c.html(
      <ConsentPage
        {...login}
        action="/device/consent"
        client={{ name: 'Living-room TV' }}
        identityScopes={identityScopes.slice(0, 2)}
        apiScopes={[]}
        allowRemember={false}
        userName="Alice Smith"
        userCode="BDFH-KLMN"
        nonce={c.get('cspNonce')}
      />,
    ),
  )
  app.get('/device-done', pageHeaders(), (c) =>
    c.html(<DeviceDonePage approved clientName="Living-room TV" nonce={c.get('cspNonce')} />),
  )
  app.get('/error', pageHeaders(), (c) =>
    c.html(
      <ErrorPage
        title="This application is not registered"
        message="The address that sent you here does not belong to a known application, so Portico cannot send you back to it."
        error="invalid_client"
        requestId="b7c1e0f4-5a2d-4a7e-9d1b-3f6a2c8e1d90"
        nonce={c.get('cspNonce')}
      />,
    ),
  )
  return app
}

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><rect width="48" height="48" rx="10" fill="#0f766e"/><path d="M13 34V14h4l14 13V14h4v20h-4L17 21v13z" fill="#fff"/></svg>`

async function open(browser: Browser, url: string, size: [number, number], dark: boolean): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: size[0], height: size[1] },
    colorScheme: dark ? 'dark' : 'light',
    // The form_post page submits itself; its screenshot shows the page as seen before that.
    javaScriptEnabled: !url.endsWith('/form-post'),
  })
  const page = await context.newPage()
  // No network here: the client's https logo is answered locally, like a CDN would.
  await page.route(LOGO, (route) => route.fulfill({ contentType: 'image/svg+xml', body: LOGO_SVG }))
  const violations: string[] = []
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text())
  })
  await page.goto(url, { waitUntil: 'load' })
  if (violations.length > 0) throw new Error(`${url}: CSP blocked ${violations.join('; ')}`)
  return page
}

/** The form_post page with JavaScript on: it must post the same values to the client. */
async function checkFormPost(browser: Browser, origin: string): Promise<void> {
  const page = await (await browser.newContext()).newPage()
  await page.goto(`${origin}/form-post`)
  await page.waitForURL(`${origin}/callback`)
  const received = JSON.parse((await page.textContent('body')) ?? '')
  if (JSON.stringify(received) !== JSON.stringify(FORM_POST_FIELDS))
    throw new Error(`form_post delivered ${JSON.stringify(received)}`)
  console.log('form_post auto-submit: parameters delivered intact')
}

const shots: { name: string; path: string; dark?: boolean; wideOnly?: boolean }[] = [
  { name: 'login', path: '/login' },
  { name: 'login-error', path: '/login-error' },
  { name: 'consent', path: '/consent' },
  { name: 'form-post', path: '/form-post' },
  { name: 'error', path: '/error' },
  { name: 'device', path: '/device' },
  { name: 'device-error', path: '/device-error' },
  { name: 'device-consent', path: '/device-consent' },
  { name: 'device-done', path: '/device-done' },
  { name: 'login-dark', path: '/login-error', dark: true, wideOnly: true },
  { name: 'consent-dark', path: '/consent', dark: true, wideOnly: true },
]
const sizes: [number, number][] = [
  [1280, 800],
  [320, 640],
]

const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: sampleApp().fetch })
const origin = `http://127.0.0.1:${server.port}`
const browser = await launchChromium()
try {
  await mkdir(OUT, { recursive: true })
  await checkFormPost(browser, origin)
  for (const shot of shots) {
    for (const size of shot.wideOnly ? sizes.slice(0, 1) : sizes) {
      const page = await open(browser, `${origin}${shot.path}`, size, shot.dark ?? false)
      const file = join(OUT, `${shot.name}-${size[0]}.png`)
      await page.screenshot({ path: file, fullPage: true })
      await page.context().close()
      console.log(file)
    }
  }
} finally {
  await browser.close()
  server.stop(true)
}
