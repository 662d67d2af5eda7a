/** @jsxImportSource hono/jsx */
/**
 * Turns what the authorize flow decided into the browser's response: the authorization
 * response in its mode, the login or consent page (by redirect, so the pages have URLs of
 * their own), or an error page when nothing may be redirected (RFC 6749 §4.1.2.1).
 */
import type { Context } from 'hono'
import { responseLocation } from '../../core/protocol/authorize/authorization-response.ts'
import type { AuthorizeOutcome } from '../../core/protocol/authorize/authorize-endpoint.ts'
import { returnUrlFor } from '../../core/protocol/authorize/return-url.ts'
import type { OAuthError } from '../../core/protocol/errors.ts'
import type { MessageKey } from '../../ui/messages/index.ts'
import { FormPostPage } from '../../ui/pages/form-post.tsx'
import { renderPage } from '../../ui/render.tsx'
import { pageContext } from '../middleware/page-headers.ts'
import type { PorticoEnv } from '../portico-env.ts'

export const loginPath = '/account/login'
export const consentPath = '/consent'

/** The issuer's path, under which every Portico URL lives (empty at the root). */
export function basePath(c: Context<PorticoEnv>): string {
  return new URL(c.get('issuer')).pathname.replace(/\/+$/, '')
}

export function respondToOutcome(
  c: Context<PorticoEnv>,
  outcome: AuthorizeOutcome,
): Response | Promise<Response> {
  switch (outcome.kind) {
    case 'untrusted':
      return refusalPage(c, outcome.error)
    case 'respond': {
      const { response } = outcome
      if (response.mode === 'form_post') {
        const { t, locale, theme, nonce } = pageContext(c, requestedLocales(c))
        return c.html(
          <FormPostPage
            action={response.redirectUri}
            fields={response.params}
            nonce={nonce}
            t={t}
            locale={locale}
            theme={theme}
          />,
        )
      }
      return redirect(c, responseLocation(response))
    }
    case 'login':
      return redirect(c, pageUrl(c, loginPath, outcome.interaction))
    case 'consent':
      return redirect(c, pageUrl(c, consentPath, outcome.interaction))
  }
}

/** The login or consent page's URL for an interaction. */
export function pageUrl(c: Context<PorticoEnv>, path: string, interaction: string): string {
  const issuer = c.get('issuer')
  return `${issuer}${path}?${new URLSearchParams({ returnUrl: returnUrlFor(basePath(c), interaction) })}`
}

/** A redirect that follows a POST is 303, so the browser never re-posts the form (RFC 9110 §15.4.4). */
export function redirect(c: Context, location: string): Response {
  return c.redirect(location, c.req.method === 'POST' ? 303 : 302)
}

export interface RefusalText {
  /** The page's heading; `error.title` ("This sign-in request cannot continue") unless given. */
  title?: MessageKey | undefined
  /** What the user can do; the generic `error.message` unless given. */
  message?: MessageKey | undefined
  /** The request's `ui_locales`, when it carried one (OIDC Core §3.1.2.1). */
  uiLocales?: string | undefined
}

/**
 * An error shown in the browser because it cannot be sent to the client. The texts come from
 * the page's language; the RFC error code and its (English) description are shown as details.
 */
export function refusalPage(
  c: Context<PorticoEnv>,
  error: OAuthError,
  status = 400,
  text: RefusalText = {},
): Response | Promise<Response> {
  const page = pageContext(c, text.uiLocales ?? requestedLocales(c))
  return c.html(
    renderPage(page, 'error', {
      title: page.t(text.title ?? 'error.title'),
      message: page.t(text.message ?? 'error.message'),
      error: error.error,
      description: error.description,
      requestId: c.get('requestId'),
    }),
    status as 400,
  )
}

/**
 * `ui_locales` in the query of a GET authorize or end-session request (OIDC Core §3.1.2.1), so
 * even a request refused before it is understood is answered in the language it asked for.
 */
function requestedLocales(c: Context): string | undefined {
  return c.req.method === 'GET' ? c.req.query('ui_locales') : undefined
}
