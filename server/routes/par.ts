/**
 * RFC 9126 §2 pushed authorization request endpoint: a form endpoint like the token endpoint
 * (POST only, 405 otherwise (§2.3), no-store, JSON errors, DPoP proofs as RFC 9449 §10.1),
 * answering 201 Created with the request_uri (§2.2).
 */
import type { Hono } from 'hono'
import type { PushedAuthorizationEndpoint } from '../../core/protocol/authorize/pushed-authorization.ts'
import { endpointPaths } from '../../core/protocol/endpoints.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { mountFormEndpoint } from './form-endpoint.ts'

export function mountPushedAuthorizationRoute(
  app: Hono<PorticoEnv>,
  endpoint: PushedAuthorizationEndpoint,
): void {
  mountFormEndpoint(app, endpointPaths.pushedAuthorization, (request) => endpoint.handle(request), 201)
}
