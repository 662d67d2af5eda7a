/**
 * OIDC Core §5.3 UserInfo endpoint, GET and POST. The bearer token comes in the Authorization
 * header or (POST) the form body, never the URL (RFC 6750 §2.3 is discouraged by RFC 9700
 * §2.2.2 and OIDC certification), and in exactly one of them (RFC 6750 §2).
 */
import type { Context, Hono } from 'hono'
import { dpopChallenge } from '../../core/protocol/dpop/dpop-validator.ts'
import { endpointPaths } from '../../core/protocol/endpoints.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import { RequestParameters } from '../../core/protocol/request-parameters.ts'
import type { UserinfoEndpoint } from '../../core/protocol/userinfo.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { noStoreHeaders, readFormBody, withDPoPNonce } from './form-endpoint.ts'

// RFC 6750 §2.1 and RFC 9449 §7.1: b64token after the Bearer or DPoP scheme.
const credentials = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i
const dpopScheme = /^DPoP(?: |$)/i

export function mountUserinfoRoute(app: Hono<PorticoEnv>, userinfo: UserinfoEndpoint): void {
  app.on(['GET', 'POST'], endpointPaths.userinfo, async function userinfoEndpoint(c) {
    const { token, scheme } = await presentedToken(c)
    const issuer = c.get('issuer')
    let dpopNonce: string | undefined
    const claims = await userinfo.handle(token, issuer, {
      scheme,
      proof: c.req.header('dpop'),
      method: c.req.method,
      url: `${issuer}${endpointPaths.userinfo}`,
      onDPoPNonce: (nonce) => {
        dpopNonce = nonce
      },
    })
    // RFC 9449 §9: the client's next nonce comes with the answer when nonces are required.
    return c.json(claims, 200, dpopNonce === undefined ? noStoreHeaders : withDPoPNonce(dpopNonce))
  })
}

async function presentedToken(c: Context<PorticoEnv>): Promise<{ token: string; scheme: 'Bearer' | 'DPoP' }> {
  if (c.req.query('access_token') !== undefined) {
    throw invalidRequest('the access token must not be sent in the URL')
  }
  const authorization = c.req.header('authorization')
  let fromHeader: string | undefined
  // RFC 9449 §7.1: a request in the DPoP scheme is answered with the DPoP challenge.
  const scheme: 'Bearer' | 'DPoP' =
    authorization !== undefined && dpopScheme.test(authorization) ? 'DPoP' : 'Bearer'
  if (authorization !== undefined) {
    fromHeader = credentials.exec(authorization)?.[2]
    if (!fromHeader) throw invalidRequest('the Authorization header is not a Bearer or DPoP token', scheme)
  }
  let fromBody: string | undefined
  if (c.req.method === 'POST' && c.req.header('content-type') !== undefined) {
    fromBody = RequestParameters.fromForm(await readFormBody(c)).get('access_token')
  }
  if (fromHeader && fromBody) throw invalidRequest('the access token was sent more than once', scheme)
  const token = fromHeader ?? fromBody
  // RFC 6750 §3.1: no error code when the request carries no credentials at all.
  if (!token)
    throw new OAuthError('invalid_token', 'an access token is required', 401, {
      'WWW-Authenticate': 'Bearer',
    })
  return { token, scheme }
}

function invalidRequest(description: string, scheme: 'Bearer' | 'DPoP' = 'Bearer'): OAuthError {
  const challenge =
    scheme === 'DPoP'
      ? dpopChallenge('invalid_request', description)
      : `Bearer error="invalid_request", error_description="${description}"`
  return new OAuthError('invalid_request', description, 400, { 'WWW-Authenticate': challenge })
}
