/** @jsxImportSource hono/jsx */
/**
 * The frame every server-rendered page shares: a centred card under the Portico wordmark.
 * Pages work without JavaScript and load nothing from elsewhere; the one inline <style>
 * carries the CSP nonce that `pageHeaders()` put in the response's policy.
 *
 * @example
 * c.html(<Layout title="Sign in" nonce={c.get('cspNonce')}>…</Layout>)
 */
import { html } from 'hono/html'
import type { Child } from 'hono/jsx'
import { themeCss } from './theme.ts'

export interface LayoutProps {
  title: string
  children?: Child
  /** The response's CSP nonce (`c.get('cspNonce')`); without it a CSP-protected page is unstyled. */
  nonce?: string
  /** BCP 47 language of the page's text; `en` unless given. */
  lang?: string
  /** Shown under the card, e.g. links to the operator's terms or help. */
  footer?: Child
  /** `wide` gives the card room for longer content (the consent page's scope lists). */
  width?: 'narrow' | 'wide'
}

export function Layout({ title, children, nonce, lang = 'en', footer, width = 'narrow' }: LayoutProps) {
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
        <title>{`${title} · Portico`}</title>
        <style nonce={nonce}>{themeCss}</style>
      </head>
      <body>
        <header class="brand">
          <span class="brand-mark" aria-hidden="true">
            P
          </span>
          <span>Portico</span>
        </header>
        <main class={width === 'wide' ? 'wide' : undefined}>{children}</main>
        {footer ? <footer>{footer}</footer> : null}
      </body>
    </html>
  )}`
}
