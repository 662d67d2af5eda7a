/**
 * Security headers for every server-rendered HTML page (login, consent, form_post, error).
 * The pages carry their style (and the form_post page its one script) inline, so the CSP
 * allows exactly those by a per-response nonce and nothing else.
 *
 * Why not `hono/secure-headers`: it cannot set Cache-Control/Pragma, keeps its nonce under
 * another name, and brings defaults that break sign-in flows (COOP `same-origin` severs the
 * `window.opener` of popup sign-in; HSTS with includeSubDomains is the operator's call). The
 * error handler also needs the same header set outside any middleware, so it lives here once.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { createPageUi, type PageContext, type PageUi } from '../../ui/page-ui.ts'

/**
 * `c.get('cspNonce')` in a handler behind `pageHeaders()`: pass it to the page's `nonce` prop;
 * `c.get('ui')`, the app's pages (`ui` config), set by `pageUi()`.
 */
export type PageEnv = { Variables: { cspNonce: string; ui: PageUi } }

/** The built-in pages, for responses of an app without `pageUi()` (tests that mount routes alone). */
const builtInUi = createPageUi()

/** Makes the app's configured pages (`ui`: theme, languages, components) `c.get('ui')`. */
export function pageUi(ui: PageUi): MiddlewareHandler<PageEnv> {
  return async function pageUi(c, next) {
    c.set('ui', ui)
    await next()
  }
}

/** The app's pages, the built-in ones when `pageUi()` has not run. */
export function configuredUi(c: Context): PageUi {
  return (c as Context<PageEnv>).get('ui') ?? builtInUi
}

/**
 * This response's page language, texts, theme and nonce: `ui_locales` (OIDC Core §3.1.2.1) when
 * the request carried one, else the browser's Accept-Language, else `ui.defaultLocale`.
 */
export function pageContext(c: Context, uiLocales?: string): PageContext {
  const nonce = (c as Context<PageEnv>).get('cspNonce') ?? createCspNonce()
  const acceptLanguage = c.req.header('accept-language')
  return configuredUi(c).context({ nonce, uiLocales, acceptLanguage })
}

/** 128 bits from the platform CSPRNG, base64 (CSP3 §2.3.1 nonce-source). */
export function createCspNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')
}

export interface PageHeaderOptions {
  /** Origins the page may load in iframes (CSP `frame-src`); none unless given. */
  frameSources?: readonly string[] | undefined
  /** The theme's stylesheet source (`ui.theme.stylesheetUrl`'s origin, or 'self'), beside the nonce. */
  styleSources?: readonly string[] | undefined
  /** Image sources beyond `https:` and `data:` (a theme logo on this origin: 'self'). */
  imgSources?: readonly string[] | undefined
}

/** The headers an HTML page answers with, its CSP bound to `nonce`. */
export function pageSecurityHeaders(nonce: string, options: PageHeaderOptions = {}): Record<string, string> {
  const frames = options.frameSources?.length ? `; frame-src ${options.frameSources.join(' ')}` : ''
  const styles = ['', ...(options.styleSources ?? [])].join(' ')
  const images = ['', ...(options.imgSources ?? [])].join(' ')
  return {
    // No form-action: Chromium applies it to the redirect that follows a form POST, which
    // would block the way back to the client's redirect_uri (RFC 6749 §4.1.2).
    'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'${styles}; script-src 'nonce-${nonce}'; img-src https: data:${images}; base-uri 'none'; frame-ancestors 'none'${frames}`,
    // RFC 9700 §4.16 / RFC 6749 §10.13: no framing of sign-in pages (clickjacking).
    'X-Frame-Options': 'DENY',
    // RFC 9700 §4.2.4: the URL may carry codes or state; never leak it in a Referer.
    'Referrer-Policy': 'no-referrer',
    // Pages hold anti-forgery tokens, codes (form_post) or a user's name: never stored by a cache.
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  }
}

/**
 * Sets `cspNonce` for the handler and, once it has answered, the page security headers.
 *
 * @example
 * app.get('/login', pageHeaders(), (c) => c.html(<LoginPage nonce={c.get('cspNonce')} … />))
 */
export function pageHeaders(): MiddlewareHandler<PageEnv> {
  return async function pageHeaders(c, next) {
    // Kept if an outer pageHeaders() already chose one, so the page and the header agree.
    const nonce = c.get('cspNonce') ?? createCspNonce()
    c.set('cspNonce', nonce)
    await next()
    const { style, img } = configuredUi(c).sources
    const headers = pageSecurityHeaders(nonce, {
      frameSources: frameSources.get(c.req.raw),
      styleSources: style,
      imgSources: img,
    })
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value)
  }
}

const frameSources = new WeakMap<Request, readonly string[]>()

/**
 * Lets this response's page frame `urls`' origins (http and https only), e.g. the logged-out
 * page's front-channel logout iframes (OIDC Front-Channel Logout 1.0 §4). Other pages frame nothing.
 */
export function allowFrames(c: Context, urls: readonly string[]): void {
  const origins = new Set<string>()
  for (const url of urls) {
    const parsed = URL.parse(url)
    if (parsed?.protocol === 'https:' || parsed?.protocol === 'http:') origins.add(parsed.origin)
  }
  frameSources.set(c.req.raw, [...origins])
}
