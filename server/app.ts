/**
 * The Portico HTTP application, independent of how it is served (Bun.serve in main.ts,
 * `app.request()` in tests, or mounted inside another Hono app).
 *
 * @example
 * const app = createPorticoApp({ config, stores, instances, logger, clock: systemClock })
 * Bun.serve({ fetch: app.fetch, port: config.port })
 */
import { Hono } from 'hono'
import { createPageUi } from '../ui/page-ui.ts'
import { httpMetrics, mountMetricsRoute } from './metrics/http.ts'
import { PrometheusMetrics } from './metrics/prometheus.ts'
import { errorResponse, notFoundResponse } from './middleware/error-response.tsx'
import { publicOrigin, routeUnderIssuerPath } from './middleware/public-origin.ts'
import { requestContext } from './middleware/request-context.ts'
import type { PorticoDeps, PorticoEnv } from './portico-env.ts'
import { mountHealthRoutes } from './routes/health.ts'
import { mountProtocolRoutes } from './routes/index.ts'

export type { PorticoDeps, PorticoEnv }

export function createPorticoApp(given: PorticoDeps): Hono<PorticoEnv> {
  const { enabled, port, bearerToken } = given.config.metrics
  // Off by default: then no middleware, no route and no counting anywhere.
  const metrics = given.metrics ?? (enabled ? new PrometheusMetrics() : undefined)
  const deps = { ...given, metrics }
  // An issuer with a path: requests may arrive with it (a proxy that keeps the prefix) or without.
  const app = new Hono<PorticoEnv>({ getPath: routeUnderIssuerPath(deps.config.issuer) })
  // The request id and log line, and the pages' theme, languages and components (`ui`) for
  // every page and the error pages.
  app.use(requestContext(deps.logger, createPageUi(deps.config.ui)))
  if (metrics) app.use(httpMetrics(metrics))
  const { issuer, trustProxy, allowedHosts } = deps.config
  app.use(publicOrigin({ issuer, trustProxy, allowedHosts }))
  app.onError(errorResponse(deps.logger))
  app.notFound(notFoundResponse)
  mountHealthRoutes(app, deps)
  // With `metrics.port` the scrape endpoint lives on its own listener (start.ts) only.
  if (metrics && port === undefined) mountMetricsRoute(app, metrics, { bearerToken })
  mountProtocolRoutes(app, deps)
  return app
}
