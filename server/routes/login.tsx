/** @jsxImportSource hono/jsx */
/**
 * The login page (GET) and its form (POST): checks the anti-forgery token, reserves an attempt
 * under the login throttle before the password is compared, starts the browser session and
 * returns to the authorize callback. The continuation can only be that callback (return-url.ts).
 */
import type { Context, Hono } from 'hono'
import { csrf } from 'hono/csrf'
import { identifierTooLong } from '../../core/models/identifier.ts'
import { authorizeCallbackPath, readContinuation } from '../../core/protocol/authorize/return-url.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import { RequestParameters } from '../../core/protocol/request-parameters.ts'
import type { MessageKey } from '../../ui/messages/index.ts'
import { formFields } from '../../ui/page-props.tsx'
import { renderPage } from '../../ui/render.tsx'
import {
  basePath,
  loginPath,
  redirect,
  refusalPage,
  respondToOutcome,
} from '../browser/authorize-outcome.tsx'
import { writeCookie } from '../browser/cookies.ts'
import type { SignInServices } from '../browser/sign-in.ts'
import { pageContext, pageHeaders } from '../middleware/page-headers.ts'
import { clientAddress } from '../middleware/public-origin.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { readFormBody } from './form-endpoint.ts'

interface LoginView {
  returnUrl: string
  username?: string | undefined
  /** A message of the page's language, with its placeholders' values. */
  error?: { key: MessageKey; values?: Record<string, number> } | undefined
  clientName?: string | undefined
  /** The authorization request's `ui_locales` (OIDC Core §3.1.2.1), carried through the form. */
  uiLocales?: string | undefined
}

const wrongCredentials = { key: 'login.error.credentials' } as const

export function mountLoginRoutes(app: Hono<PorticoEnv>, signIn: SignInServices): void {
  const render = async (c: Context<PorticoEnv>, view: LoginView, status = 200) => {
    const page = pageContext(c, view.uiLocales)
    const carried = { returnUrl: view.returnUrl, ...(view.uiLocales ? { ui_locales: view.uiLocales } : {}) }
    return c.html(
      renderPage(page, 'login', {
        action: `${c.get('issuer')}${loginPath}`,
        returnUrl: view.returnUrl,
        ...formFields(await signIn.antiForgery.issue(c, 'login'), carried),
        username: view.username,
        error: view.error && page.t(view.error.key, view.error.values),
        clientName: view.clientName,
      }),
      status as 200,
    )
  }

  app.get(loginPath, pageHeaders(), async function loginPage(c) {
    const returnUrl = c.req.query('returnUrl') ?? ''
    const continuation = readContinuation(returnUrl, basePath(c))
    if (returnUrl && !continuation) return refuseReturnUrl(c)
    // The device flow's page names its client itself; only an authorization request is looked into.
    if (continuation?.callback !== authorizeCallbackPath) return render(c, { returnUrl })
    const pending = await signIn.authorize.pending(continuation.interaction, c.get('issuer'))
    if ('kind' in pending) return respondToOutcome(c, pending)
    const { client, loginHint, uiLocales } = pending.request
    return render(c, {
      returnUrl,
      username: loginHint,
      clientName: client.clientName ?? client.clientId,
      uiLocales,
    })
  })

  app.post(loginPath, pageHeaders(), sameOrigin(), async function login(c) {
    const form = await readForm(c)
    if (form instanceof OAuthError) return refusalPage(c, form)
    const returnUrl = form.get('returnUrl') ?? ''
    const continuation = readContinuation(returnUrl, basePath(c))
    if (returnUrl && !continuation) return refuseReturnUrl(c)
    if (!(await signIn.antiForgery.verify(c, 'login', form.get('antiForgery')))) {
      return forbidden(c, form.getAll('ui_locales')[0])
    }

    const username = form.get('username') ?? ''
    const password = form.get('password') ?? ''
    const uiLocales = form.getAll('ui_locales')[0]
    if (!username || !password || identifierTooLong(username)) {
      return render(c, { returnUrl, username, error: wrongCredentials, uiLocales }, 400)
    }
    // A request that expired or whose client went away ends here, before any password is checked.
    const pending =
      continuation?.callback === authorizeCallbackPath
        ? await signIn.authorize.pending(continuation.interaction, c.get('issuer'))
        : undefined
    if (pending && 'kind' in pending) return respondToOutcome(c, pending)
    const address = clientAddress(c)
    const attempt = await signIn.guard.reserve({ username, address })
    if (!attempt.allowed) {
      signIn.logger.warn('login.throttled', { request_id: c.get('requestId') })
      return throttled(c, render, { returnUrl, username, uiLocales }, attempt.retryAfterSeconds)
    }
    let user: Awaited<ReturnType<typeof signIn.authenticate>>
    try {
      user = await signIn.authenticate(username, password, {
        issuer: c.get('issuer'),
        ...(pending ? { clientId: pending.request.client.clientId } : {}),
        ...(address ? { remoteAddress: address } : {}),
      })
    } catch (error) {
      // A check that failed (a team's authenticate, a store outage) is neither a success nor a guess.
      attempt.abandoned()
      throw error
    }
    if (!user) {
      // The user name is not logged: people type their password into it by mistake.
      signIn.logger.info('login.failed', { request_id: c.get('requestId') })
      await attempt.failed()
      return render(c, { returnUrl, username, error: wrongCredentials, uiLocales }, 401)
    }
    attempt.succeeded()
    const { cookie } = await signIn.sessions.signIn({
      subjectId: user.subjectId,
      displayName: user.displayName,
      amr: user.amr ?? ['pwd'],
      // Claims are kept with the session only for users outside the configuration store.
      claims: signIn.externalUsers ? (user.claims ?? {}) : undefined,
    })
    writeCookie(c, 'session', cookie)
    signIn.logger.info('login.succeeded', { request_id: c.get('requestId'), sub: user.subjectId })
    if (continuation) return redirect(c, `${new URL(c.get('issuer')).origin}${returnUrl}`)
    const page = pageContext(c, uiLocales)
    return c.html(
      renderPage(page, 'error', { title: page.t('login.done.title'), message: page.t('login.done.message') }),
    )
  })
}

/**
 * hono's csrf check: a form POST must come from a page of this issuer (Sec-Fetch-Site or
 * Origin). A browser without Sec-Fetch-Site (Safari < 16.4) sends `Origin: null` from our pages,
 * whose Referrer-Policy is no-referrer (Fetch §3.2.5); it is let through to the anti-forgery
 * check, which still needs the token and its SameSite=Lax cookie, never sent cross-site.
 */
export function sameOrigin() {
  return csrf({
    secFetchSite: 'same-origin',
    origin: (origin, c) =>
      origin === new URL(c.get('issuer') as string).origin ||
      (origin === 'null' && c.req.header('sec-fetch-site') === undefined),
  })
}

export async function readForm(c: Context): Promise<RequestParameters | OAuthError> {
  try {
    return RequestParameters.fromForm(await readFormBody(c))
  } catch (error) {
    if (error instanceof OAuthError) return error
    throw error
  }
}

export function forbidden(c: Context<PorticoEnv>, uiLocales?: string): Response | Promise<Response> {
  return refusalPage(
    c,
    new OAuthError(
      'access_denied',
      'the form has expired or did not come from this browser; go back and try again',
    ),
    403,
    { message: 'error.message.formExpired', uiLocales },
  )
}

function refuseReturnUrl(c: Context<PorticoEnv>): Response | Promise<Response> {
  return refusalPage(c, new OAuthError('invalid_request', 'the sign-in link is not valid'), 400, {
    message: 'error.message.badLink',
  })
}

function throttled(
  c: Context<PorticoEnv>,
  render: (c: Context<PorticoEnv>, view: LoginView, status?: number) => Promise<Response>,
  view: LoginView,
  retryAfterSeconds: number,
): Promise<Response> {
  c.header('Retry-After', String(retryAfterSeconds))
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60))
  const error =
    minutes === 1
      ? { key: 'login.error.throttledOne' as const }
      : { key: 'login.error.throttled' as const, values: { minutes } }
  return render(c, { ...view, error }, 429)
}
