/** RFC 7009 token revocation endpoint: 200 with an empty body on success (§2.2). */
import type { Hono } from 'hono'
import { endpointPaths } from '../../core/protocol/endpoints.ts'
import type { TokenService } from '../../core/protocol/token-service.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { mountFormEndpoint } from './form-endpoint.ts'

export function mountRevocationRoute(app: Hono<PorticoEnv>, service: TokenService): void {
  mountFormEndpoint(app, endpointPaths.revocation, async (request) => {
    await service.revocation.handle(request)
    return null
  })
}
