/** @jsxImportSource hono/jsx */
/**
 * The consent page (OIDC Core §3.1.2.4): which scopes the signed-in user grants the client.
 * The POST hands the decision to core, which never grants more than was requested and
 * always keeps required scopes.
 */
import type { Context, Hono } from 'hono'
import { readReturnUrl } from '../../core/protocol/authorize/return-url.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import { formFields } from '../../ui/page-props.tsx'
import { renderPage } from '../../ui/render.tsx'
import {
  basePath,
  consentPath,
  loginPath,
  redirect,
  refusalPage,
  respondToOutcome,
} from '../browser/authorize-outcome.tsx'
import { consentView } from '../browser/consent-view.ts'
import { currentSession } from '../browser/session-cookie.ts'
import type { SignInServices } from '../browser/sign-in.ts'
import { pageContext, pageHeaders } from '../middleware/page-headers.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { forbidden, readForm, sameOrigin } from './login.tsx'

export function mountConsentRoutes(app: Hono<PorticoEnv>, signIn: SignInServices): void {
  app.get(consentPath, pageHeaders(), async function consentPage(c) {
    const returnUrl = c.req.query('returnUrl') ?? ''
    const interaction = readReturnUrl(returnUrl, basePath(c))
    if (!interaction) return badLink(c)
    const pending = await signIn.authorize.pending(interaction, c.get('issuer'))
    if ('kind' in pending) return respondToOutcome(c, pending)
    const session = await currentSession(c, signIn.sessions)
    if (!session) return redirect(c, `${c.get('issuer')}${loginPath}?${new URLSearchParams({ returnUrl })}`)
    const { request } = pending
    // OIDC Core §3.1.2.1: the language the client asked for, carried in the sealed request.
    const page = pageContext(c, request.uiLocales)
    return c.html(
      renderPage(page, 'consent', {
        action: `${c.get('issuer')}${consentPath}`,
        returnUrl,
        ...formFields(await signIn.antiForgery.issue(c, 'consent'), { returnUrl }),
        ...consentView(request.client, request.requested, page.t),
        allowRemember: request.client.allowRememberConsent,
        userName: session.displayName,
      }),
    )
  })

  app.post(consentPath, pageHeaders(), sameOrigin(), async function consent(c) {
    const form = await readForm(c)
    if (form instanceof OAuthError) return refusalPage(c, form)
    const returnUrl = form.get('returnUrl') ?? ''
    const interaction = readReturnUrl(returnUrl, basePath(c))
    if (!interaction) return badLink(c)
    if (!(await signIn.antiForgery.verify(c, 'consent', form.get('antiForgery')))) return forbidden(c)
    const decision = form.get('decision')
    if (decision !== 'allow' && decision !== 'deny') {
      return refusalPage(c, new OAuthError('invalid_request', 'choose Allow or Deny'), 400, {
        message: 'error.message.decision',
      })
    }
    const session = await currentSession(c, signIn.sessions)
    const outcome = await signIn.authorize.decideConsent(interaction, c.get('issuer'), session, {
      allow: decision === 'allow',
      scopes: form.getAll('scope'),
      remember: form.get('remember') === 'on',
    })
    return respondToOutcome(c, outcome)
  })
}

function badLink(c: Context<PorticoEnv>): Response | Promise<Response> {
  return refusalPage(c, new OAuthError('invalid_request', 'the consent link is not valid'), 400, {
    message: 'error.message.badLink',
  })
}
