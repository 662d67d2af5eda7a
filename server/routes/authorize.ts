/**
 * RFC 6749 §3.1 authorization endpoint (GET and form POST, OIDC Core §3.1.2.1) and the
 * callback the login page returns to. The flow itself is core/protocol/authorize.
 */
import type { Context, Hono } from 'hono'
import { authorizeCallbackPath } from '../../core/protocol/authorize/return-url.ts'
import { endpointPaths } from '../../core/protocol/endpoints.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import { RequestParameters } from '../../core/protocol/request-parameters.ts'
import { refusalPage, respondToOutcome } from '../browser/authorize-outcome.tsx'
import { currentSession } from '../browser/session-cookie.ts'
import type { SignInServices } from '../browser/sign-in.ts'
import { pageHeaders } from '../middleware/page-headers.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { readFormBody } from './form-endpoint.ts'

export function mountAuthorizeRoutes(app: Hono<PorticoEnv>, signIn: SignInServices): void {
  app.on(['GET', 'POST'], endpointPaths.authorization, pageHeaders(), async function authorize(c) {
    const params = await readParameters(c)
    if (params instanceof OAuthError) return refusalPage(c, params)
    const session = await currentSession(c, signIn.sessions)
    return respondToOutcome(c, await signIn.authorize.start(params, c.get('issuer'), session))
  })

  app.get(authorizeCallbackPath, pageHeaders(), async function authorizeCallback(c) {
    const interaction = c.req.query('r')
    if (!interaction)
      return refusalPage(c, new OAuthError('invalid_request', 'the sign-in request is missing'))
    const session = await currentSession(c, signIn.sessions)
    return respondToOutcome(c, await signIn.authorize.resume(interaction, c.get('issuer'), session))
  })
}

/** The query (GET) or form body (POST); a malformed request is refused before any client is known. */
export async function readParameters(c: Context<PorticoEnv>): Promise<RequestParameters | OAuthError> {
  try {
    if (c.req.method === 'POST') return RequestParameters.fromForm(await readFormBody(c))
    const url = c.req.url
    const queryAt = url.indexOf('?')
    return RequestParameters.fromForm(queryAt < 0 ? '' : url.slice(queryAt + 1))
  } catch (error) {
    if (error instanceof OAuthError) return error
    throw error
  }
}
