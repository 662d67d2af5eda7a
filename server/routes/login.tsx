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
import { ErrorPage } from '../../ui/pages/error.tsx'
import { LoginPage } from '../../ui/pages/login.tsx'
import {
  basePath,
  loginPath,
  redirect,
  refusalPage,
  respondToOutcome,
} from '../browser/authorize-outcome.tsx'
import { writeCookie } from '../browser/cookies.ts'
import type { SignInServices } from '../browser/sign-in.ts'
import { pageHeaders } from '../middleware/page-headers.ts'
import { clientAddress } from '../middleware/public-origin.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { readFormBody } from './form-endpoint.ts'

const wrongCredentials = 'The user name or password is incorrect.'

interface LoginView {
  returnUrl: string
  username?: string | undefined
  error?: string | undefined
  clientName?: string | undefined
}

export function mountLoginRoutes(app: Hono<PorticoEnv>, signIn: SignInServices): void {
  const render = async (c: Context<PorticoEnv>, view: LoginView, status = 200) =>
    c.html(
      <LoginPage
        action={`${c.get('issuer')}${loginPath}`}
        returnUrl={view.returnUrl}
        antiForgery={await signIn.antiForgery.issue(c, 'login')}
        username={view.username}
        error={view.error}
        clientName={view.clientName}
        nonce={c.get('cspNonce')}
      />,
      status as 200,
    )

  app.get(loginPath, pageHeaders(), async function loginPage(c) {
    const returnUrl = c.req.query('returnUrl') ?? ''
    const continuation = readContinuation(returnUrl, basePath(c))
    if (returnUrl && !continuation) return refusalPage(c, badReturnUrl())
    // The device flow's page names its client itself; only an authorization request is looked into.
    if (continuation?.callback !== authorizeCallbackPath) return render(c, { returnUrl })
    const pending = await signIn.authorize.pending(continuation.interaction, c.get('issuer'))
    if ('kind' in pending) return respondToOutcome(c, pending)
    const { client, loginHint } = pending.request
    return render(c, { returnUrl, username: loginHint, clientName: client.clientName ?? client.clientId })
  })

  app.post(loginPath, pageHeaders(), sameOrigin(), async function login(c) {
    const form = await readForm(c)
    if (form instanceof OAuthError) return refusalPage(c, form)
    const returnUrl = form.get('returnUrl') ?? ''
    const continuation = readContinuation(returnUrl, basePath(c))
    if (returnUrl && !continuation) return refusalPage(c, badReturnUrl())
    if (!(await signIn.antiForgery.verify(c, 'login', form.get('antiForgery')))) return forbidden(c)

    const username = form.get('username') ?? ''
    const password = form.get('password') ?? ''
    if (!username || !password || identifierTooLong(username)) {
      return render(c, { returnUrl, username, error: wrongCredentials }, 400)
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
      return throttled(c, render, { returnUrl, username }, attempt.retryAfterSeconds)
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
      return render(c, { returnUrl, username, error: wrongCredentials }, 401)
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
    return c.html(
      <ErrorPage
        title="You are signed in"
        message="You can close this page and return to the application."
        nonce={c.get('cspNonce')}
      />,
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

export function forbidden(c: Context<PorticoEnv>): Response | Promise<Response> {
  return refusalPage(
    c,
    new OAuthError(
      'access_denied',
      'the form has expired or did not come from this browser; go back and try again',
    ),
    403,
  )
}

function badReturnUrl(): OAuthError {
  return new OAuthError('invalid_request', 'the sign-in link is not valid')
}

function throttled(
  c: Context<PorticoEnv>,
  render: (c: Context<PorticoEnv>, view: LoginView, status?: number) => Promise<Response>,
  view: LoginView,
  retryAfterSeconds: number,
): Promise<Response> {
  c.header('Retry-After', String(retryAfterSeconds))
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60))
  const error = `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
  return render(c, { ...view, error }, 429)
}
