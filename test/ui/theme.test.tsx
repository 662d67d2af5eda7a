/** @jsxImportSource hono/jsx */
/** `ui.theme`: what the config accepts, and how the layout and the CSP carry it. */
import { describe, expect, test } from 'bun:test'
import { parseConfig } from '../../server/config/load.ts'
import { ConfigError } from '../../server/config/problems.ts'
import { pageSecurityHeaders } from '../../server/middleware/page-headers.ts'
import { isAssetUrl, isSafeCssValue, resolveTheme } from '../../ui/custom-theme.ts'
import { Layout } from '../../ui/layout.tsx'
import { createPageUi } from '../../ui/page-ui.ts'
import { findAll, findOne } from './fixtures/html.ts'

function problems(ui: unknown): string[] {
  try {
    parseConfig({ ui }, { baseDir: process.cwd() })
    return []
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return error.problems.map((problem) => `${problem.path}: ${problem.message}`)
  }
}

describe('theme values', () => {
  test('plain colours, lengths, shadows and font lists pass', () => {
    for (const value of [
      '#0f766e',
      '#fff',
      'rebeccapurple',
      'rgb(15 118 110 / .9)',
      'oklch(62% 0.19 260)',
      'color-mix(in srgb, #0f766e 80%, white)',
      '0.75rem',
      'calc(4px + 0.25rem)',
      '0 1px 2px rgb(0 0 0/.4),0 12px 32px rgb(0 0 0/.35)',
      'Inter, system-ui, sans-serif',
    ]) {
      expect({ value, safe: isSafeCssValue(value) }).toEqual({ value, safe: true })
    }
  })

  test('anything that could leave the declaration, the element, or fetch is refused', () => {
    for (const value of [
      'red;}body{display:none',
      'red</style><script>alert(1)</script>',
      'url(https://evil.example/x.png)',
      'var(--bg)',
      'expression(alert(1))',
      '"Inter"',
      'red /* comment',
      'red\\3b',
      'rgb(1 2 3',
      'rgb(1 2 3))',
      '@import',
      '',
      'x'.repeat(201),
    ]) {
      expect({ value, safe: isSafeCssValue(value) }).toEqual({ value, safe: false })
    }
  })

  test('asset URLs: https or a path on this origin, never another scheme or scheme-relative', () => {
    expect(isAssetUrl('https://cdn.example/brand.css')).toBe(true)
    expect(isAssetUrl('/brand/logo.svg')).toBe(true)
    for (const url of [
      'http://cdn.example/x.css',
      '//evil.example/x.css',
      'javascript:alert(1)',
      'data:text/css,x',
      'logo.svg',
      'https://u:p@cdn.example/x',
    ])
      expect({ url, ok: isAssetUrl(url) }).toEqual({ url, ok: false })
  })
})

describe('ui config validation', () => {
  test('a theme with known variables and safe values is accepted', () => {
    expect(
      problems({
        theme: {
          productName: 'Acme ID',
          logoUrl: '/brand/logo.svg',
          colors: { primary: '#0f766e', radius: '6px' },
          darkColors: { bg: '#0b1f1d' },
          stylesheetUrl: 'https://cdn.acme.example/portico.css',
        },
      }),
    ).toEqual([])
  })

  test('each mistake is one problem naming the key', () => {
    expect(
      problems({
        theme: { colors: { primry: '#000', bg: 'red;}' }, logoUrl: 'http://x.example/l.png' },
        messages: { de: { 'login.titel': 'x', 'consent.title': '{app} erlauben' }, 'not a tag': {} },
        pages: { login: '<form>' },
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ui\.theme\.colors\.primry: is not a theme variable/),
        expect.stringMatching(/^ui\.theme\.colors\.bg: must be a plain CSS colour or length/),
        expect.stringMatching(/^ui\.theme\.logoUrl: must be an https URL/),
        expect.stringMatching(/^ui\.messages\.de\.login\.titel: is not a message key \(given "login\.titel"/),
        expect.stringMatching(
          /^ui\.messages\.de\.consent\.title: uses unknown placeholder \{app\} \(allowed \{client\}\)/,
        ),
        expect.stringMatching(/^ui\.messages\.not a tag: must be a language tag/),
        expect.stringMatching(/^ui\.pages\.login: must be a hono\/jsx component/),
      ]),
    )
  })

  test('the default language must be one the pages offer', () => {
    expect(problems({ defaultLocale: 'fr' })).toEqual([
      'ui.defaultLocale: is not a language the pages offer (given "fr", allowed en, de; ui.messages adds one)',
    ])
  })

  test('a language added by ui.messages may be the default', () => {
    expect(problems({ defaultLocale: 'fr', messages: { fr: { 'login.title': 'Connexion' } } })).toEqual([])
  })
})

describe('themed layout', () => {
  const theme = resolveTheme({
    productName: 'Acme <ID>',
    logoUrl: 'https://cdn.acme.example/logo.svg',
    colors: { primary: '#0f766e' },
    darkColors: { primary: '#2dd4bf' },
    stylesheetUrl: 'https://cdn.acme.example/portico.css',
  })
  const render = async () =>
    (await (
      <Layout title="Sign in" nonce="n0" lang="de" theme={theme}>
        x
      </Layout>
    ).toString()) as string

  test('the product name titles the page and is the logo text; the logo replaces the wordmark', async () => {
    const html = await render()
    expect((await findOne(html, 'title')).text).toBe('Sign in · Acme <ID>')
    const logo = await findOne(html, 'header img')
    expect(logo.attrs).toMatchObject({ src: 'https://cdn.acme.example/logo.svg', alt: 'Acme <ID>' })
    expect(await findAll(html, '.brand-mark')).toEqual([])
    expect((await findOne(html, 'html')).attrs.lang).toBe('de')
  })

  test('the colours override the built-in sheet in the nonce’d style; the extra sheet is linked after it', async () => {
    const html = await render()
    const style = await findOne(html, 'style')
    expect(style.attrs.nonce).toBe('n0')
    expect(
      style.text.endsWith(
        ':root{--primary:#0f766e;}@media (prefers-color-scheme:dark){:root{--primary:#2dd4bf;}}',
      ),
    ).toBe(true)
    expect(
      html.indexOf('<link rel="stylesheet" href="https://cdn.acme.example/portico.css"/>'),
    ).toBeGreaterThan(html.indexOf('</style>'))
  })

  test('the CSP allows the stylesheet’s origin (no unsafe-inline) and a logo on this origin', () => {
    const ui = createPageUi({
      theme: { stylesheetUrl: 'https://cdn.acme.example/portico.css', logoUrl: '/brand/logo.svg' },
    })
    const csp = pageSecurityHeaders('n1', { styleSources: ui.sources.style, imgSources: ui.sources.img })[
      'Content-Security-Policy'
    ]!
    expect(csp).toContain("style-src 'nonce-n1' https://cdn.acme.example;")
    expect(csp).toContain("img-src https: data: 'self';")
    expect(csp).not.toContain('unsafe-inline')
    const plain = pageSecurityHeaders('n2', { styleSources: createPageUi().sources.style })[
      'Content-Security-Policy'
    ]!
    expect(plain).toContain("style-src 'nonce-n2';")
  })
})
