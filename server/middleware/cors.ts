/**
 * CORS for browser-based clients, as IdentityServer does it: the token, userinfo, revocation and
 * PAR endpoints answer origins that some enabled client lists in `allowedCorsOrigins` (exact
 * origins); discovery and the JWKS are public documents any origin may read; every other path
 * sends no CORS headers, so a page elsewhere cannot read the login pages or introspection.
 */
import type { Hono, MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { ConfigurationCache } from '../../core/protocol/configuration-cache.ts'
import { endpointPaths } from '../../core/protocol/endpoints.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { discoveryPaths } from '../routes/discovery.ts'

/** Seconds a browser may reuse a preflight answer (Fetch standard, Access-Control-Max-Age). */
const preflightMaxAge = 600

/**
 * Registers the CORS middleware; call before the routes, which answer without calling on.
 * Discovery lists every path registered on the app, so userinfo's only when it is mounted.
 */
export function mountCors(
  app: Hono<PorticoEnv>,
  configuration: ConfigurationCache,
  mounted: { userinfo: boolean },
): void {
  const publicDocument = cors({ origin: '*', allowMethods: ['GET', 'HEAD'], maxAge: preflightMaxAge })
  // Only the preflight: the documents' own responses carry `Access-Control-Allow-Origin: *`
  // among their cached headers (server/routes/cacheable-get.ts), which spares each GET a copy of
  // its response that hono makes when a middleware has touched the headers first.
  for (const path of [...discoveryPaths, endpointPaths.jwks]) app.on('OPTIONS', path, publicDocument)
  app.use(endpointPaths.token, clientCors(configuration, ['POST']))
  app.use(endpointPaths.revocation, clientCors(configuration, ['POST']))
  // OIDC Core §5.3.1: userinfo takes GET and POST.
  if (mounted.userinfo) app.use(endpointPaths.userinfo, clientCors(configuration, ['GET', 'POST']))
  // RFC 9126 §2: a browser-based public client may push its request too (mounted with userinfo).
  if (mounted.userinfo) app.use(endpointPaths.pushedAuthorization, clientCors(configuration, ['POST']))
}

/**
 * hono's CORS for an origin some enabled client lists; any other request (a server-to-server
 * call without Origin, an unlisted origin's preflight) reaches the endpoint untouched, so it
 * carries no CORS headers and an OPTIONS is the endpoint's own 405.
 */
function clientCors(configuration: ConfigurationCache, methods: string[]): MiddlewareHandler {
  const listed = cors({
    origin: (origin) => origin,
    allowMethods: methods,
    // Authorization carries client_secret_basic and bearer tokens; Content-Type a form body;
    // DPoP a browser client's proof (RFC 9449 §4.1).
    allowHeaders: ['Authorization', 'Content-Type', 'DPoP'],
    // A bearer or client error is in WWW-Authenticate (RFC 6750 §3), a server nonce in
    // DPoP-Nonce (RFC 9449 §8), which scripts must read.
    exposeHeaders: ['WWW-Authenticate', 'DPoP-Nonce'],
    maxAge: preflightMaxAge,
  })
  return async function clientCors(c, next) {
    const origin = c.req.header('origin')
    if (origin && (await configuration.allowedCorsOrigins()).has(origin)) return listed(c, next)
    await next()
  }
}
