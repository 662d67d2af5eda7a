/** @jsxImportSource hono/jsx */
/**
 * The frame every server-rendered page shares: a centred card under the product's wordmark or
 * logo. Pages work without JavaScript; the one inline <style> (the built-in sheet, then the
 * theme's checked overrides) carries the CSP nonce that `pageHeaders()` put in the response's
 * policy, and a theme's extra stylesheet is linked after it (its origin is in `style-src`).
 *
 * @example
 * c.html(<Layout title="Sign in" nonce={c.get('cspNonce')}>…</Layout>)
 */
import { html } from 'hono/html'
import type { Child } from 'hono/jsx'
import { defaultProductName, type ResolvedTheme } from './custom-theme.ts'
import { themeCss } from './theme.ts'

export interface LayoutProps {
  title: string
  children?: Child
  /** The response's CSP nonce (`c.get('cspNonce')`); without it a CSP-protected page is unstyled. */
  nonce?: string | undefined
  /** BCP 47 language of the page's text; `en` unless given. */
  lang?: string | undefined
  /** Shown under the card, e.g. links to the operator's terms or help. */
  footer?: Child
  /** `wide` gives the card room for longer content (the consent page's scope lists). */
  width?: 'narrow' | 'wide' | undefined
  /** `ui.theme`, resolved; the built-in look unless given. */
  theme?: ResolvedTheme | undefined
}

const builtInTheme: ResolvedTheme = { productName: defaultProductName, css: '' }

export function Layout(props: LayoutProps) {
  const { title, children, nonce, lang = 'en', footer, width = 'narrow', theme = builtInTheme } = props
  const name = theme.productName
  // The doctype keeps browsers out of quirks mode; the `html` tag escapes what it interpolates.
  return html`<!doctype html>${(
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        {/* No icon: stops the browser asking for /favicon.ico on every page. */}
        <link rel="icon" href="data:," />
        <title>{`${title} · ${name}`}</title>
        <style nonce={nonce}>{themeCss + theme.css}</style>
        {theme.stylesheetUrl ? <link rel="stylesheet" href={theme.stylesheetUrl} /> : null}
      </head>
      <body>
        <header class="brand">
          {theme.logoUrl && theme.darkLogoUrl ? (
            <picture>
              <source srcset={theme.darkLogoUrl} media="(prefers-color-scheme: dark)" />
              <img class="brand-logo" src={theme.logoUrl} alt={name} />
            </picture>
          ) : theme.logoUrl ? (
            <img class="brand-logo" src={theme.logoUrl} alt={name} />
          ) : (
            <>
              <span class="brand-mark" aria-hidden="true">
                {Array.from(name.trim())[0]?.toUpperCase() ?? 'P'}
              </span>
              <span>{name}</span>
            </>
          )}
        </header>
        <main class={width === 'wide' ? 'wide' : undefined}>{children}</main>
        {footer ? <footer>{footer}</footer> : null}
      </body>
    </html>
  )}`
}
