/** @jsxImportSource hono/jsx */
/**
 * RFC 8628 device flow over HTTP: the device authorization endpoint (a form endpoint like the
 * token endpoint), and the verification pages where the user enters the code, signs in if
 * needed, and allows or denies on the consent page. Code entry is throttled per browser and
 * per address (§5.1) and anti-forgery protected.
 */
import type { Context, Hono } from 'hono'
import { deviceCallbackPath, returnUrlFor } from '../../core/protocol/authorize/return-url.ts'
import type { DeviceAuthorizationEndpoint } from '../../core/protocol/device/device-authorization.ts'
import { verificationPath } from '../../core/protocol/device/device-authorization.ts'
import { formatUserCode } from '../../core/protocol/device/user-code.ts'
import { endpointPaths } from '../../core/protocol/endpoints.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import type { MessageKey } from '../../ui/messages/index.ts'
import { formFields } from '../../ui/page-props.tsx'
import { renderPage } from '../../ui/render.tsx'
import { basePath, loginPath, redirect, refusalPage } from '../browser/authorize-outcome.tsx'
import { consentView } from '../browser/consent-view.ts'
import { readCookie } from '../browser/cookies.ts'
import { currentSession } from '../browser/session-cookie.ts'
import type { SignInServices } from '../browser/sign-in.ts'
import { pageContext, pageHeaders } from '../middleware/page-headers.ts'
import { clientAddress } from '../middleware/public-origin.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { mountFormEndpoint } from './form-endpoint.ts'
import { forbidden, readForm, sameOrigin } from './login.tsx'

const consentAction = '/device/consent'
const invalidCode: MessageKey = 'device.error.invalid'

export function mountDeviceRoutes(
  app: Hono<PorticoEnv>,
  signIn: SignInServices,
  endpoint: DeviceAuthorizationEndpoint,
): void {
  const device = signIn.device
  mountFormEndpoint(app, endpointPaths.deviceAuthorization, (request) => endpoint.handle(request))

  const codePage = async (
    c: Context<PorticoEnv>,
    view: { userCode?: string; error?: MessageKey },
    status = 200,
  ) => {
    const page = pageContext(c)
    return c.html(
      renderPage(page, 'device', {
        step: 'code',
        action: `${c.get('issuer')}${verificationPath}`,
        ...formFields(await signIn.antiForgery.issue(c, 'device')),
        userCode: view.userCode,
        error: view.error && page.t(view.error),
      }),
      status as 200,
    )
  }

  app.get(verificationPath, pageHeaders(), async function deviceCodeEntry(c) {
    const given = c.req.query('user_code')
    // §3.3.1: a code from verification_uri_complete is shown for the user to compare, not trusted.
    return codePage(c, given && given.length <= 32 ? { userCode: given } : {})
  })

  app.post(verificationPath, pageHeaders(), sameOrigin(), async function deviceCodeSubmit(c) {
    const form = await readForm(c)
    if (form instanceof OAuthError) return refusalPage(c, form)
    if (!(await signIn.antiForgery.verify(c, 'device', form.get('antiForgery')))) return forbidden(c)
    const typed = form.get('user_code') ?? ''
    // Per browser (its anti-forgery binding) and per address: a code space cannot be swept (§5.1).
    const attempt = await signIn.deviceGuard.reserve({
      username: readCookie(c, 'antiforgery') ?? '',
      address: clientAddress(c),
    })
    if (!attempt.allowed) {
      c.header('Retry-After', String(attempt.retryAfterSeconds))
      return codePage(c, { userCode: typed, error: 'device.error.throttled' }, 429)
    }
    const pending = await device.find(typed, c.get('issuer'))
    if (!pending) {
      await attempt.failed()
      return codePage(c, { userCode: typed, error: invalidCode }, 400)
    }
    attempt.succeeded()
    const returnUrl = returnUrlFor(basePath(c), await device.seal(pending), deviceCallbackPath)
    const session = await currentSession(c, signIn.sessions)
    if (!session) return redirect(c, `${c.get('issuer')}${loginPath}?${new URLSearchParams({ returnUrl })}`)
    return redirect(c, `${new URL(c.get('issuer')).origin}${returnUrl}`)
  })

  app.get(deviceCallbackPath, pageHeaders(), async function deviceConsentPage(c) {
    const interaction = c.req.query('r')
    const pending = await device.open(interaction, c.get('issuer'))
    if (!pending) return codePage(c, { error: invalidCode }, 400)
    const returnUrl = returnUrlFor(basePath(c), interaction!, deviceCallbackPath)
    const session = await currentSession(c, signIn.sessions)
    if (!session) return redirect(c, `${c.get('issuer')}${loginPath}?${new URLSearchParams({ returnUrl })}`)
    const page = pageContext(c)
    return c.html(
      renderPage(page, 'consent', {
        action: `${c.get('issuer')}${consentAction}`,
        returnUrl,
        ...formFields(await signIn.antiForgery.issue(c, 'device-consent'), { returnUrl }),
        ...consentView(pending.client, pending.requested, page.t),
        allowRemember: false,
        userCode: formatUserCode(pending.userCode),
        userName: session.displayName,
      }),
    )
  })

  app.post(consentAction, pageHeaders(), sameOrigin(), async function deviceConsent(c) {
    const form = await readForm(c)
    if (form instanceof OAuthError) return refusalPage(c, form)
    if (!(await signIn.antiForgery.verify(c, 'device-consent', form.get('antiForgery')))) return forbidden(c)
    const returnUrl = form.get('returnUrl') ?? ''
    const interaction = new URLSearchParams(returnUrl.split('?')[1] ?? '').get('r') ?? undefined
    const pending = returnUrl.startsWith(`${basePath(c)}${deviceCallbackPath}?`)
      ? await device.open(interaction, c.get('issuer'))
      : undefined
    if (!pending) return codePage(c, { error: invalidCode }, 400)
    const session = await currentSession(c, signIn.sessions)
    if (!session) return redirect(c, `${c.get('issuer')}${loginPath}?${new URLSearchParams({ returnUrl })}`)
    const decision = form.get('decision')
    if (decision !== 'allow' && decision !== 'deny') {
      return refusalPage(c, new OAuthError('invalid_request', 'choose Allow or Deny'), 400, {
        message: 'error.message.decision',
      })
    }
    const approved = decision === 'allow' && (await device.approve(pending, session, form.getAll('scope')))
    if (!approved) await device.deny(pending)
    signIn.logger.info(approved ? 'device.approved' : 'device.denied', {
      request_id: c.get('requestId'),
      client_id: pending.client.clientId,
    })
    return c.html(
      renderPage(pageContext(c), 'device', {
        step: 'done',
        approved,
        clientName: pending.client.clientName ?? pending.client.clientId,
      }),
    )
  })
}
