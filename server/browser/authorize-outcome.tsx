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
import { ErrorPage } from '../../ui/pages/error.tsx'
import { FormPostPage } from '../../ui/pages/form-post.tsx'
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
        return c.html(
          <FormPostPage action={response.redirectUri} fields={response.params} nonce={c.get('cspNonce')} />,
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

/** An error shown in the browser because it cannot be sent to the client. */
export function refusalPage(
  c: Context<PorticoEnv>,
  error: OAuthError,
  status = 400,
  title = 'This sign-in request cannot continue',
): Response | Promise<Response> {
  return c.html(
    <ErrorPage
      title={title}
      message={error.description}
      error={error.error}
      requestId={c.get('requestId')}
      nonce={c.get('cspNonce')}
    />,
    status as 400,
  )
}
