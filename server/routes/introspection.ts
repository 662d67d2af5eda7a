/** RFC 7662 token introspection endpoint. */
import type { Hono } from 'hono'
import { endpointPaths } from '../../core/protocol/endpoints.ts'
import type { TokenService } from '../../core/protocol/token-service.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { mountFormEndpoint } from './form-endpoint.ts'

export function mountIntrospectionRoute(app: Hono<PorticoEnv>, service: TokenService): void {
  mountFormEndpoint(app, endpointPaths.introspection, (request) => service.introspection.handle(request))
}
