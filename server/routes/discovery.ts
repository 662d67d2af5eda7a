/**
 * OpenID Connect Discovery (`/.well-known/openid-configuration`) and RFC 8414 metadata
 * (`/.well-known/oauth-authorization-server`): one document, built from the issuer, listing
 * the endpoints this app actually mounts.
 */
import type { Hono } from 'hono'
import { discoveryDocument } from '../../core/protocol/discovery.ts'
import { type EndpointName, endpointPaths } from '../../core/protocol/endpoints.ts'
import type { TokenService } from '../../core/protocol/token-service.ts'
import type { PorticoEnv } from '../app.ts'
import { cacheableGet } from './cacheable-get.ts'

export const discoveryPaths = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']

export function mountDiscoveryRoutes(
  app: Hono<PorticoEnv>,
  service: TokenService,
  options: { issuerFromRequest: boolean },
): void {
  let endpoints: Partial<Record<EndpointName, string>> | undefined
  for (const path of discoveryPaths) {
    cacheableGet(app, path, options, async (c) => {
      // Routes are all mounted by the first request; later teams' endpoints appear by themselves.
      endpoints ??= mountedEndpoints(app)
      const document = discoveryDocument({
        issuer: c.var.issuer,
        endpoints,
        grantTypes: service.grantHandlers.grantTypes(),
        resources: await service.configuration.getAllResources(),
        signingAlgorithms: service.signingAlgorithms,
      })
      return c.json(document)
    })
  }
}

function mountedEndpoints(app: Hono<PorticoEnv>): Partial<Record<EndpointName, string>> {
  const mounted = new Set(app.routes.map((route) => route.path))
  const endpoints: Partial<Record<EndpointName, string>> = {}
  for (const [name, path] of Object.entries(endpointPaths) as [EndpointName, string][]) {
    if (mounted.has(path)) endpoints[name] = path
  }
  return endpoints
}
