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
import { errorResponse, notFoundResponse } from './middleware/error-response.tsx'
import { publicOrigin } from './middleware/public-origin.ts'
import { requestLog } from './middleware/request-log.ts'
import type { PorticoDeps, PorticoEnv } from './portico-env.ts'
import { mountHealthRoutes } from './routes/health.ts'
import { mountProtocolRoutes } from './routes/index.ts'

export type { PorticoDeps, PorticoEnv }

/** A well-formed incoming X-Request-Id is kept (so proxies can correlate); others are replaced. */
const REQUEST_ID_MAX = 128

export function createPortico(deps: PorticoDeps): Hono<PorticoEnv> {
  const app = new Hono<PorticoEnv>()
  app.use(requestId({ limitLength: REQUEST_ID_MAX }))
  app.use(requestLog(deps.logger))
  const { issuer, trustProxy, allowedHosts } = deps.config
  app.use(publicOrigin({ issuer, trustProxy, allowedHosts }))
  app.onError(errorResponse(deps.logger))
  app.notFound(notFoundResponse)
  mountHealthRoutes(app, deps)
  mountProtocolRoutes(app, deps)
  return app
}
