/**
 * Portico's Prometheus series, kept in a registry of their own per app. Not prom-client's
 * global registry: two apps in one process (an embedder mounting two, or tests) would register
 * the same metric names twice and throw, or silently share counts.
 *
 * @example
 * const metrics = new PrometheusMetrics()
 * metrics.tokenIssued('client_credentials')
 * const text = await metrics.registry.metrics() // Prometheus text exposition
 */
import type * as PromClient from 'prom-client'
import type { Metrics } from '../../core/metrics.ts'

/** Seconds; from a cache hit (~1 ms) to a slow password hash or backend (several seconds). */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
/** Seconds; a store call is one round trip, usually well under 10 ms. */
const STORE_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5]

/**
 * prom-client, loaded by the first PrometheusMetrics: with metrics off (the default) a start
 * never loads it, which takes tens of ms of module loading off every cold start (docs/performance.md).
 */
let loaded: typeof PromClient | undefined
// A plain require with a literal, so `bun build --compile` still bundles it.
const promClient = () => (loaded ??= require('prom-client') as typeof PromClient)

export class PrometheusMetrics implements Metrics {
  readonly registry = new (promClient().Registry)()
  /** Its `_count` is the request count by route and status: no separate counter to pay for per request. */
  private readonly httpDuration = new (promClient().Histogram)({
    name: 'portico_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, matched route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  })
  private readonly tokens = new (promClient().Counter)({
    name: 'portico_tokens_issued_total',
    help: 'Successful token endpoint responses, by grant type.',
    labelNames: ['grant_type'] as const,
    registers: [this.registry],
  })
  private readonly clientFailures = new (promClient().Counter)({
    name: 'portico_client_authentication_failures_total',
    help: 'Client credentials refused (invalid_client), by authentication method.',
    labelNames: ['method'] as const,
    registers: [this.registry],
  })
  private readonly loginFailures = new (promClient().Counter)({
    name: 'portico_user_login_failures_total',
    help: 'User names and passwords refused by the credential check.',
    registers: [this.registry],
  })
  private readonly storeDuration = new (promClient().Histogram)({
    name: 'portico_store_call_duration_seconds',
    help: 'Time of store calls, by role, plugin, store and operation.',
    labelNames: ['role', 'plugin', 'store', 'operation'] as const,
    buckets: STORE_BUCKETS,
    registers: [this.registry],
  })
  private readonly storeErrors = new (promClient().Counter)({
    name: 'portico_store_call_errors_total',
    help: 'Store calls that rejected, by role, plugin, store and operation.',
    labelNames: ['role', 'plugin', 'store', 'operation'] as const,
    registers: [this.registry],
  })
  private readonly keyRefreshes = new (promClient().Counter)({
    name: 'portico_key_ring_refreshes_total',
    help: 'Key ring reloads from the keys store, by outcome (success or failure).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  })
  private readonly keysCreated = new (promClient().Counter)({
    name: 'portico_key_ring_keys_created_total',
    help: 'Keys this instance created (scheduled rotation, keys rotate, first key), by use and algorithm.',
    labelNames: ['use', 'alg'] as const,
    registers: [this.registry],
  })

  constructor() {
    // Process CPU, memory, file descriptors, event loop lag, prefixed like Portico's own.
    promClient().collectDefaultMetrics({ register: this.registry, prefix: 'portico_' })
  }

  /** `text/plain; version=0.0.4; charset=utf-8`: what Prometheus expects of this format. */
  get contentType(): string {
    return this.registry.contentType
  }

  /** The current values in Prometheus text format. */
  exposition(): Promise<string> {
    return this.registry.metrics()
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds)
  }

  storeCall(labels: StoreCallLabels, seconds: number, failed: boolean): void {
    this.storeDuration.observe(labels, seconds)
    if (failed) this.storeErrors.inc(labels)
  }

  tokenIssued(grantType: string): void {
    this.tokens.inc({ grant_type: grantType })
  }

  clientAuthenticationFailed(method: string): void {
    this.clientFailures.inc({ method })
  }

  userLoginFailed(): void {
    this.loginFailures.inc()
  }

  keyRingRefreshed(outcome: 'success' | 'failure'): void {
    this.keyRefreshes.inc({ outcome })
  }

  keyCreated(use: string, alg: string): void {
    this.keysCreated.inc({ use, alg })
  }
}

export interface StoreCallLabels {
  role: string
  plugin: string
  store: string
  operation: string
}
