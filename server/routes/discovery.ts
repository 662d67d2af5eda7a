/**
 * OpenID Connect Discovery (`/.well-known/openid-configuration`) and RFC 8414 metadata
 * (`/.well-known/oauth-authorization-server`): one document, built from the issuer, listing
 * the endpoints this app actually mounts.
 */
import type { Hono } from 'hono'
import type { Resources } from '../../core/models/resources.ts'
import { discoveryDocument } from '../../core/protocol/discovery.ts'
import { type EndpointName, endpointPaths } from '../../core/protocol/endpoints.ts'
import type { TokenService } from '../../core/protocol/token-service.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { cacheableGet } from './cacheable-get.ts'

export const discoveryPaths = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']

export function mountDiscoveryRoutes(
  app: Hono<PorticoEnv>,
  service: TokenService,
  options: {
    issuerFromRequest: boolean
    requirePushedAuthorization?: boolean
    uiLocales?: readonly string[]
  },
): void {
  let endpoints: Partial<Record<EndpointName, string>> | undefined
  // The serialized document per issuer, reused while the cached resources are the same object.
  const rendered = new Map<string, { resources: Resources; body: string }>()
  for (const path of discoveryPaths) {
    cacheableGet(app, path, options, async (c) => {
      const issuer = c.get('issuer')
      const resources = await service.configuration.getAllResources()
      let hit = rendered.get(issuer)
      if (hit?.resources !== resources) {
        // Routes are all mounted by the first request; endpoints added by other files appear by themselves.
        endpoints ??= mountedEndpoints(app)
        const document = discoveryDocument({
          issuer,
          endpoints,
          grantTypes: service.grantHandlers.grantTypes(),
          resources,
          signingAlgorithms: service.signingAlgorithms,
          requirePushedAuthorization: options.requirePushedAuthorization,
          uiLocales: options.uiLocales,
        })
        hit = { resources, body: JSON.stringify(document) }
        // Issuers taken from requests are not bounded by us; the memory is.
        if (rendered.size >= 16) rendered.clear()
        rendered.set(issuer, hit)
      }
      return hit.body
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
