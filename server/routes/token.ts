/** RFC 6749 §3.2 token endpoint. */
import type { Hono } from 'hono'
import { endpointPaths } from '../../core/protocol/endpoints.ts'
import type { TokenService } from '../../core/protocol/token-service.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { mountFormEndpoint } from './form-endpoint.ts'

export function mountTokenRoute(app: Hono<PorticoEnv>, service: TokenService): void {
  mountFormEndpoint(app, endpointPaths.token, (request) => service.token.handle(request))
}
