/** @jsxImportSource hono/jsx */
/**
 * Screenshots of the sign-in pages as a browser shows them, for the docs (a script, not a test):
 *
 *   bun test/ui/screenshots.tsx       # needs Debian's chromium at /usr/bin/chromium
 *
 * Each page is rendered as the routes render it (`renderPage` with the `ui` config's theme,
 * language and components, behind `pageUi()` and `pageHeaders()`), so the real CSP applies: a
 * style or script the policy blocks fails the run. Three looks: the built-in one, a team theme
 * (test/e2e/browser/acme-theme.ts) and German (`ui_locales=de`). The form_post page is also
 * submitted for real and the parameters the client would receive are compared with those sent.
 * PNGs land in docs/screenshots/ (1280x800 and 320x640, full page; some in dark mode too).
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Hono } from 'hono'
import type { Browser, Page } from 'playwright-core'
import { type PageEnv, pageContext, pageHeaders, pageUi } from '../../server/middleware/page-headers.ts'
import type { Translate } from '../../ui/messages/index.ts'
import { formFields } from '../../ui/page-props.tsx'
import { createPageUi, type UiOptions } from '../../ui/page-ui.ts'
import type { ScopeChoice } from '../../ui/pages/consent.tsx'
import { FormPostPage } from '../../ui/pages/form-post.tsx'
import { renderPage } from '../../ui/render.tsx'
import { acmeTheme, serveBrand } from '../e2e/browser/acme-theme.ts'
import { launchChromium } from './fixtures/chromium.ts'

const OUT = join(import.meta.dir, '../../docs/screenshots')
const CLIENT = 'Northwind Traders Customer Portal for Enterprise Accounts (Staging)'
const LOGO = 'https://northwind.example/logo.svg'
const FORM_POST_FIELDS = { code: 'SplxlOBeZQQYbYS6WxSbIA', state: `a"b'c<d>&e`, iss: 'http://127.0.0.1' }

/** A look of the pages: its file name prefix, its `ui` config and the language it asks for. */
interface Variant {
  prefix: string
  ui: UiOptions
  uiLocales?: string
  /** The client's API scopes, as its operator named them (in the page's language). */
  apiScopes: ScopeChoice[]
}

const englishApiScopes: ScopeChoice[] = [
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

const variants: Variant[] = [
  { prefix: '', ui: {}, apiScopes: englishApiScopes },
  { prefix: 'themed', ui: { theme: acmeTheme }, apiScopes: englishApiScopes },
  {
    prefix: 'de',
    ui: {},
    uiLocales: 'de',
    apiScopes: [
      { name: 'orders.read', displayName: 'Ihre Bestellungen lesen', required: true, checked: true },
      {
        name: 'orders.write',
        displayName: 'Bestellungen aufgeben und stornieren',
        description: 'Neue Bestellungen anlegen und offene in Ihrem Namen stornieren',
        required: false,
        checked: false,
        emphasize: true,
      },
    ],
  },
]

/** The standard identity scopes in the page's language, as the consent route shows them. */
function identityScopes(t: Translate): ScopeChoice[] {
  return [
    { name: 'openid', displayName: t('scope.openid'), required: true, checked: true },
    {
      name: 'profile',
      displayName: t('scope.profile'),
      description: t('scope.profile.description'),
      required: false,
      checked: true,
    },
    { name: 'email', displayName: t('scope.email'), required: false, checked: true },
    { name: 'phone', displayName: t('scope.phone'), required: false, checked: false },
    {
      name: 'offline_access',
      displayName: t('scope.offline_access'),
      description: t('scope.offline_access.description'),
      required: false,
      checked: true,
      emphasize: true,
    },
  ]
}

/** The pages of one look, under `/<prefix>/`. */
function variantApp(variant: Variant): Hono<PageEnv> {
  const app = new Hono<PageEnv>()
  app.use(pageUi(createPageUi(variant.ui)), pageHeaders())
  const returnUrl = '/authorize/callback?id=abc'
  const login = { action: '/login', returnUrl, ...formFields('af-token', { returnUrl }), clientName: CLIENT }
  const page = (c: Parameters<typeof pageContext>[0]) => pageContext(c, variant.uiLocales)

  app.get('/login', (c) => c.html(renderPage(page(c), 'login', login)))
  app.get('/login-error', (c) => {
    const context = page(c)
    const error = context.t('login.error.credentials')
    return c.html(renderPage(context, 'login', { ...login, username: 'alice', error }))
  })
  app.get('/consent', (c) => {
    const context = page(c)
    return c.html(
      renderPage(context, 'consent', {
        ...login,
        action: '/consent',
        client: { name: CLIENT, uri: 'https://northwind.example', logoUri: LOGO },
        identityScopes: identityScopes(context.t),
        apiScopes: variant.apiScopes,
        allowRemember: true,
      }),
    )
  })
  const device = { step: 'code', action: '/device', ...formFields('af-token') } as const
  app.get('/device', (c) => c.html(renderPage(page(c), 'device', { ...device, userCode: 'BDFH-KLMN' })))
  app.get('/device-error', (c) => {
    const context = page(c)
    const error = context.t('device.error.invalid')
    return c.html(renderPage(context, 'device', { ...device, userCode: 'BDFH-KLMX', error }))
  })
  app.get('/device-consent', (c) => {
    const context = page(c)
    return c.html(
      renderPage(context, 'consent', {
        ...login,
        action: '/device/consent',
        client: { name: 'Living-room TV' },
        identityScopes: identityScopes(context.t).slice(0, 2),
        apiScopes: [],
        allowRemember: false,
        userName: 'Alice Smith',
        userCode: 'BDFH-KLMN',
      }),
    )
  })
  app.get('/device-done', (c) =>
    c.html(renderPage(page(c), 'device', { step: 'done', approved: true, clientName: 'Living-room TV' })),
  )
  app.get('/error', (c) => {
    const context = page(c)
    return c.html(
      renderPage(context, 'error', {
        title: context.t('error.title'),
        message: context.t('error.message'),
        error: 'invalid_client',
        description: 'unknown client_id',
        requestId: 'b7c1e0f4-5a2d-4a7e-9d1b-3f6a2c8e1d90',
      }),
    )
  })
  app.get('/form-post', (c) =>
    c.html(<FormPostPage action="/callback" fields={FORM_POST_FIELDS} nonce={c.get('cspNonce')} />),
  )
  return app
}

function sampleApp(): Hono {
  const app = new Hono()
  app.post('/callback', async (c) => c.json(await c.req.parseBody()))
  for (const variant of variants.filter((v) => v.prefix)) app.route(`/${variant.prefix}`, variantApp(variant))
  app.route('/', variantApp(variants[0]!))
  return app
}

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><rect width="48" height="48" rx="10" fill="#0f766e"/><path d="M13 34V14h4l14 13V14h4v20h-4L17 21v13z" fill="#fff"/></svg>`

async function open(browser: Browser, url: string, size: [number, number], dark: boolean): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: size[0], height: size[1] },
    colorScheme: dark ? 'dark' : 'light',
    // The form_post spinner stands still, so a re-run gives the same PNG.
    reducedMotion: 'reduce',
    // The form_post page submits itself; its screenshot shows the page as seen before that.
    javaScriptEnabled: !url.endsWith('/form-post'),
  })
  const page = await context.newPage()
  // No network here: the client's https logo and the theme's CDN are answered locally.
  await page.route(LOGO, (route) => route.fulfill({ contentType: 'image/svg+xml', body: LOGO_SVG }))
  await serveBrand(page)
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

interface Shot {
  name: string
  path: string
  dark?: boolean
  wideOnly?: boolean
}

const defaultShots: Shot[] = [
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
/** The themed and German looks: the pages issue 16 asks to show (login, consent, device, error). */
const variantShots = (prefix: string): Shot[] =>
  ['login', 'login-error', 'consent', 'device', 'error'].map((name) => ({
    name: `${prefix}-${name}`,
    path: `/${prefix}/${name}`,
  }))
const shots = [...defaultShots, ...variantShots('themed'), ...variantShots('de')]
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
