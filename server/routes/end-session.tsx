/** @jsxImportSource hono/jsx */
/**
 * OIDC RP-Initiated Logout 1.0: the end-session endpoint (GET and POST, §2) and the form the
 * user confirms on when the request carries no valid `id_token_hint`. Signing out removes the
 * server-side session (every instance), clears the session and anti-forgery cookies, tells the
 * session's clients (front- and back-channel) and shows the logged-out page, or redirects to
 * the registered `post_logout_redirect_uri` when a valid hint named the client (§3).
 */
import type { Context, Hono } from 'hono'
import { endpointPaths } from '../../core/protocol/endpoints.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import type { EndSession } from '../../core/protocol/logout/end-session.ts'
import type { EndSessionRequest } from '../../core/protocol/logout/end-session-request.ts'
import type { BrowserSession } from '../../core/protocol/session/browser-session.ts'
import { formFields } from '../../ui/page-props.tsx'
import { FrontChannelLogout } from '../../ui/pages/logged-out.tsx'
import { renderPage } from '../../ui/render.tsx'
import { redirect, refusalPage } from '../browser/authorize-outcome.tsx'
import { clearCookie } from '../browser/cookies.ts'
import { currentSession } from '../browser/session-cookie.ts'
import type { SignInServices } from '../browser/sign-in.ts'
import { allowFrames, pageContext, pageHeaders } from '../middleware/page-headers.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { readParameters } from './authorize.ts'
import { forbidden, readForm, sameOrigin } from './login.tsx'

export const logoutPath = '/account/logout'

export function mountEndSessionRoutes(
  app: Hono<PorticoEnv>,
  signIn: SignInServices,
  endSession: EndSession,
): void {
  app.on(['GET', 'POST'], endpointPaths.endSession, pageHeaders(), async function endSessionEndpoint(c) {
    const params = await readParameters(c)
    if (params instanceof OAuthError) return logoutRefused(c, params)
    const session = await currentSession(c, signIn.sessions)
    let outcome: Awaited<ReturnType<EndSession['start']>>
    try {
      outcome = await endSession.start(params, c.get('issuer'), session)
    } catch (error) {
      if (error instanceof OAuthError) return logoutRefused(c, error)
      throw error
    }
    if (outcome.kind === 'logout') return signOut(c, endSession, session, outcome.request)
    // RP-Initiated Logout §2: ui_locales, the languages the client would like the page in.
    const page = pageContext(c, outcome.request.uiLocales)
    return c.html(
      renderPage(page, 'logout', {
        action: `${c.get('issuer')}${logoutPath}`,
        ...formFields(await signIn.antiForgery.issue(c, 'logout'), carried(outcome.request)),
        clientName: clientName(outcome.request),
      }),
    )
  })

  app.post(logoutPath, pageHeaders(), sameOrigin(), async function confirmLogout(c) {
    const form = await readForm(c)
    if (form instanceof OAuthError) return logoutRefused(c, form)
    const uiLocales = form.getAll('ui_locales')[0]
    if (!(await signIn.antiForgery.verify(c, 'logout', form.get('antiForgery')))) {
      return forbidden(c, uiLocales)
    }
    let request: EndSessionRequest
    try {
      request = await endSession.confirmed(form, c.get('issuer'))
    } catch (error) {
      if (error instanceof OAuthError) return logoutRefused(c, error, uiLocales)
      throw error
    }
    return signOut(c, endSession, await currentSession(c, signIn.sessions), request)
  })
}

async function signOut(
  c: Context<PorticoEnv>,
  endSession: EndSession,
  session: BrowserSession | undefined,
  request: EndSessionRequest,
): Promise<Response> {
  const loggedOut = await endSession.logout(session, request, c.get('issuer'))
  clearCookie(c, 'session')
  clearCookie(c, 'antiforgery')
  const frames = loggedOut.frontChannelLogoutUrls
  // §3 with a verified hint: straight back to the client, unless front-channel iframes must load first.
  if (loggedOut.redirect && loggedOut.postLogoutRedirectUri && frames.length === 0) {
    return redirect(c, loggedOut.postLogoutRedirectUri)
  }
  allowFrames(c, frames)
  const page = pageContext(c, request.uiLocales)
  const returnUrl = loggedOut.postLogoutRedirectUri
  // Portico's part whatever the page: the front-channel iframes and the way on (Front-Channel Logout §4).
  const protocol = (
    <FrontChannelLogout
      frames={frames}
      redirectTo={loggedOut.redirect ? returnUrl : undefined}
      nonce={page.nonce}
      t={page.t}
    />
  )
  return c.html(renderPage(page, 'loggedOut', { returnUrl, clientName: loggedOut.clientName }, protocol))
}

/** The request's parameters the confirmation form carries; the hint is dropped (it does not redirect after asking). */
function carried(request: EndSessionRequest): Record<string, string> {
  const fields: Record<string, string> = {}
  if (request.client) fields.client_id = request.client.clientId
  if (request.postLogoutRedirectUri) fields.post_logout_redirect_uri = request.postLogoutRedirectUri
  if (request.postLogoutRedirectUri && request.state !== undefined) fields.state = request.state
  if (request.uiLocales) fields.ui_locales = request.uiLocales
  return fields
}

function clientName(request: EndSessionRequest): string | undefined {
  return request.client && (request.client.clientName ?? request.client.clientId)
}

function logoutRefused(
  c: Context<PorticoEnv>,
  error: OAuthError,
  uiLocales?: string,
): Response | Promise<Response> {
  return refusalPage(c, error, 400, { title: 'error.title.logout', uiLocales })
}
