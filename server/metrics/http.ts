/**
 * The HTTP side of metrics: a middleware that counts and times every request by its route
 * pattern (never the raw path, which would make a series per token, code or client id), and
 * the `GET /metrics` scrape endpoint, behind a bearer token when one is configured.
 */
import type { Env, Hono, MiddlewareHandler } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { matchedRoute } from '../middleware/request-log.ts'
import type { PrometheusMetrics } from './prometheus.ts'

/** Methods kept as sent; any other becomes `other`, so junk methods cannot add series. */
const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

export function httpMetrics(metrics: PrometheusMetrics): MiddlewareHandler {
  return async function httpMetrics(c, next) {
    const started = performance.now()
    // hono's compose turns a handler's error into the onError response before this resumes.
    await next()
    const method = knownMethods.has(c.req.method) ? c.req.method : 'other'
    const seconds = (performance.now() - started) / 1000
    metrics.httpRequest(method, matchedRoute(c) ?? 'unmatched', c.res.status, seconds)
  }
}

export interface MetricsRouteOptions {
  /** `metrics.bearerToken`: scrapes without it get 401 (RFC 6750 §3). */
  bearerToken?: string | undefined
}

/** `GET /metrics` on `app`, in Prometheus text format. */
export function mountMetricsRoute<E extends Env>(
  app: Hono<E>,
  metrics: PrometheusMetrics,
  options: MetricsRouteOptions,
): void {
  // hono's bearerAuth compares the token in constant time (hashes of both, then timingSafeEqual).
  if (options.bearerToken) {
    app.use(
      '/metrics',
      bearerAuth({
        token: options.bearerToken,
        realm: 'metrics',
        // Another scheme (Basic …) is no bearer credential at all: 401 like a missing one (RFC 6750 §3), not 400.
        invalidAuthenticationHeader: {
          message: () => new Response('Unauthorized', { status: 401 }),
          wwwAuthenticateHeader: 'Bearer realm="metrics"',
        },
      }),
    )
  }
  app.get('/metrics', async (c) =>
    c.body(await metrics.exposition(), 200, {
      'Content-Type': metrics.contentType,
      'Cache-Control': 'no-store',
    }),
  )
}
