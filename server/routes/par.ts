/**
 * RFC 9126 §2 pushed authorization request endpoint: a form endpoint like the token endpoint
 * (POST only, no-store, JSON errors, DPoP proofs as RFC 9449 §10.1), answering 201 Created
 * with the request_uri (§2.2).
 */
import type { Hono } from 'hono'
import type { PushedAuthorizationEndpoint } from '../../core/protocol/authorize/pushed-authorization.ts'
import { endpointPaths } from '../../core/protocol/endpoints.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import { RequestParameters } from '../../core/protocol/request-parameters.ts'
import { clientAddress } from '../middleware/public-origin.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { noStoreHeaders, readFormBody, withDPoPNonce } from './form-endpoint.ts'

export function mountPushedAuthorizationRoute(
  app: Hono<PorticoEnv>,
  endpoint: PushedAuthorizationEndpoint,
): void {
  const path = endpointPaths.pushedAuthorization
  app.all(path, async function pushedAuthorization(c) {
    // RFC 9126 §2.3: 405 for any other method.
    if (c.req.method !== 'POST') {
      throw new OAuthError('invalid_request', 'this endpoint accepts POST only', 405, { Allow: 'POST' })
    }
    const params = RequestParameters.fromForm(await readFormBody(c))
    const issuer = c.get('issuer')
    const url = c.req.url
    const queryAt = url.indexOf('?')
    const dpop = c.req.header('dpop')
    let dpopNonce: string | undefined
    const body = await endpoint.handle({
      issuer,
      endpointUrl: `${issuer}${path}`,
      params,
      authorization: c.req.header('authorization'),
      // RFC 9449 §10.1: a proof binds the pushed request to its key.
      dpop,
      onDPoPNonce:
        dpop === undefined
          ? undefined
          : (nonce) => {
              dpopNonce = nonce
            },
      query: queryAt < 0 ? undefined : new URLSearchParams(url.slice(queryAt + 1)),
      get remoteAddress() {
        return clientAddress(c)
      },
    })
    return c.json(body, 201, dpopNonce === undefined ? noStoreHeaders : withDPoPNonce(dpopNonce))
  })
}
