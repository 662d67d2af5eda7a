/**
 * `metrics.port`: `/metrics` on a listener of its own, so it can stay on a private network
 * while the main port faces the public. The main app then has no `/metrics` route.
 */
import type { Server } from 'bun'
import { Hono } from 'hono'
import { mountMetricsRoute } from './http.ts'
import type { PrometheusMetrics } from './prometheus.ts'

export interface MetricsListenerOptions {
  port: number
  hostname: string
  bearerToken?: string | undefined
}

export function serveMetrics(metrics: PrometheusMetrics, options: MetricsListenerOptions): Server<undefined> {
  const app = new Hono()
  mountMetricsRoute(app, metrics, { bearerToken: options.bearerToken })
  return Bun.serve({ port: options.port, hostname: options.hostname, fetch: app.fetch })
}
