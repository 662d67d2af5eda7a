/**
 * The Portico HTTP application, independent of how it is served (Bun.serve in main.ts,
 * `app.request()` in tests, or mounted inside another Hono app).
 *
 * @example
 * const app = createPortico({ config, stores, instances, logger, clock: systemClock })
 * Bun.serve({ fetch: app.fetch, port: config.port })
 */
import { Hono } from 'hono'
import { requestId } from 'hono/request-id'
import type { Clock } from '../core/clock.ts'
import type { KeyRing } from '../core/keys/key-ring.ts'
import type { Logger } from '../core/logger.ts'
import type { GrantHandler } from '../core/protocol/token/grant-handlers.ts'
import type { PorticoConfig } from './config/resolve.ts'
import { errorResponse, notFoundResponse } from './middleware/error-response.tsx'
import { publicOrigin } from './middleware/public-origin.ts'
import { requestLog } from './middleware/request-log.ts'
import { mountHealthRoutes } from './routes/health.ts'
import { mountProtocolRoutes } from './routes/index.ts'
import type { LoadedStore, Stores } from './stores/load.ts'

export interface PorticoDeps {
  config: PorticoConfig
  stores: Stores
  /** Every plugin instance, each with the roles it serves (health checks, shutdown). */
  instances: readonly LoadedStore[]
  keyRing?: KeyRing
  /** Extension grants (RFC 6749 §4.5) the token endpoint answers besides the built-in ones. */
  grantHandlers?: readonly GrantHandler[]
  logger: Logger
  clock: Clock
}

/** `c.var.requestId` (X-Request-Id) and `c.var.issuer` (the public origin) in every handler. */
export type PorticoEnv = { Variables: { requestId: string; issuer: string } }

/** A well-formed incoming X-Request-Id is kept (so proxies can correlate); others are replaced. */
const REQUEST_ID_MAX = 128

export function createPortico(deps: PorticoDeps): Hono<PorticoEnv> {
  const app = new Hono<PorticoEnv>()
  app.use(requestId({ limitLength: REQUEST_ID_MAX }))
  app.use(requestLog(deps.logger))
  app.use(publicOrigin({ issuer: deps.config.issuer, trustProxy: deps.config.trustProxy }))
  app.onError(errorResponse(deps.logger))
  app.notFound(notFoundResponse)
  mountHealthRoutes(app, deps)
  mountProtocolRoutes(app, deps)
  return app
}
