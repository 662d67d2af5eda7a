/**
 * Starting and stopping a Portico process: open the stores, seed, start the key ring and
 * background jobs, serve; and the reverse on shutdown. Used by main.ts and by tests.
 */
import type { Server } from 'bun'
import type { Clock } from '../core/clock.ts'
import type { Logger } from '../core/logger.ts'
import type { GrantHandler } from '../core/protocol/token/grant-handlers.ts'
import { startPurgeJob } from '../core/stores/purge-job.ts'
import { createPorticoApp, type PorticoDeps } from './app.ts'
import type { PorticoConfig } from './config/resolve.ts'
import { checkKeySecret, resolveKeySecret, startKeyRing } from './key-ring.ts'
import { BackChannelSender } from './logout/back-channel-sender.ts'
import { instrumentStores } from './metrics/instrumented-stores.ts'
import { serveMetrics } from './metrics/listener.ts'
import { PrometheusMetrics } from './metrics/prometheus.ts'
import { preflight } from './preflight.ts'
import { applySeed } from './seed.ts'
import { PluginLoadError } from './stores/errors.ts'
import { reason, withTimeout } from './stores/failure.ts'
import { type LoadedStore, label, openStores, type Stores } from './stores/load.ts'

export interface RunningPortico {
  /** Where the server listens, e.g. `http://127.0.0.1:3000/`. */
  url: URL
  /** Where `/metrics` is served when `metrics.port` gives it a listener of its own. */
  metricsUrl?: URL
  deps: PorticoDeps
  /** Stops accepting connections, waits for in-flight requests (up to `shutdownTimeoutSeconds`), closes the stores. Idempotent. */
  shutdown(reason?: string): Promise<void>
}

/** Upper bound on closing stores, so a hung backend cannot keep the process alive. */
const CLOSE_TIMEOUT_MS = 5000
/**
 * How long an idle keep-alive connection stays open (Bun's default is 10 s). Longer than the
 * idle timeout of a balancer's upstream connections (nginx `keepalive_timeout` 60 s, AWS ALB
 * 60 s), so the balancer closes them, not Portico: a request it sends on a connection Portico
 * is closing at that moment fails, and as a POST is not resent (502).
 */
const KEEP_ALIVE_IDLE_SECONDS = 75
/** As openStores' bound on `migrate()`. */
const MIGRATE_TIMEOUT_MS = 30_000

/** A Portico app with everything it stands on (stores, key ring, jobs), not yet serving. */
export interface AssembledPortico {
  app: ReturnType<typeof createPorticoApp>
  deps: PorticoDeps
  metrics?: PrometheusMetrics | undefined
  opened: OpenedStores
  /** Stops the jobs and the key ring, then closes the stores. */
  close(): Promise<void>
}

type OpenedStores = Awaited<ReturnType<typeof openStores>>

export interface AssembleOptions {
  logger: Logger
  clock: Clock
  /** Extension grants (RFC 6749 §4.5), for embedders. */
  grantHandlers?: readonly GrantHandler[] | undefined
}

/**
 * Opens the stores, migrates, seeds and starts the key ring and background jobs, then builds
 * the app. Every check that can refuse the start runs before anything is written to a store:
 * the config, then the key secret (missing, then not matching the stored keys), and only then
 * migration, seed and new keys.
 */
export async function assemblePortico(
  config: PorticoConfig,
  options: AssembleOptions,
): Promise<AssembledPortico> {
  const { logger, clock } = options
  preflight(config, { logger })
  const secret = await resolveKeySecret(config, { logger, clock })
  const opened = await openStores({
    stores: config.stores,
    baseDir: config.baseDir,
    clock,
    logger,
    migrate: false,
  })
  const metrics = config.metrics.enabled ? new PrometheusMetrics() : undefined
  // Wrapped once here, so every store call below (seed and key ring included) is timed.
  const stores = metrics
    ? instrumentStores(opened.stores as Stores, opened.instances, metrics)
    : (opened.stores as Stores)
  const closers: (() => void | Promise<void>)[] = []
  try {
    await checkKeySecret(stores.keys, secret)
    if (config.migrate.auto) await migrate(opened.instances, config)
    // Independent of each other (different roles), so they overlap: key generation is CPU,
    // seeding is store I/O.
    const [seeded, ring] = await Promise.allSettled([
      applySeed(config.seed, stores.configuration, { logger }),
      startKeyRing(config, stores.keys, {
        logger,
        clock,
        secret,
        metrics,
        refreshInterval: config.cache.keyRefreshSeconds,
      }),
    ])
    if (ring.status === 'fulfilled') closers.push(() => ring.value.close())
    if (seeded.status === 'rejected') throw seeded.reason
    if (ring.status === 'rejected') throw ring.reason
    const keyRing = ring.value

    if (config.cleanup.enabled) {
      const purge = startPurgeJob({
        stores: stores.operational,
        clock,
        logger,
        intervalMs: config.cleanup.intervalSeconds * 1000,
        batchSize: config.cleanup.batchSize,
      })
      closers.push(() => purge.stop())
    }

    // Logout Tokens still under way get a few seconds at shutdown (OIDC Back-Channel Logout 1.0 §2.5).
    const backChannel = new BackChannelSender({ logger })
    closers.push(() => backChannel.close())
    const deps: PorticoDeps = {
      config,
      stores,
      instances: opened.instances,
      keyRing,
      backChannel,
      logger,
      clock,
      metrics,
      ...(options.grantHandlers ? { grantHandlers: options.grantHandlers } : {}),
    }
    let closing: Promise<void> | undefined
    return {
      app: createPorticoApp(deps),
      deps,
      metrics,
      opened,
      close() {
        closing ??= (async () => {
          await Promise.allSettled(closers.map((close) => close()))
          const closed = await Promise.race([
            opened.close().then(() => true),
            delay(CLOSE_TIMEOUT_MS).then(() => false),
          ])
          if (!closed) logger.warn('store.close_timeout', { timeout_ms: CLOSE_TIMEOUT_MS })
        })()
        return closing
      },
    }
  } catch (error) {
    await Promise.allSettled(closers.map((close) => close()))
    await opened.close()
    throw error
  }
}

export async function startPortico(
  config: PorticoConfig,
  options: { logger: Logger; clock: Clock },
): Promise<RunningPortico> {
  const { logger } = options
  const assembled = await assemblePortico(config, options)
  const { app, metrics, opened } = assembled
  let server: Server<undefined>
  let metricsServer: Server<undefined> | undefined
  try {
    if (metrics && config.metrics.port !== undefined) {
      const { port, bearerToken } = config.metrics
      metricsServer = serveMetrics(metrics, { port, hostname: config.hostname, bearerToken })
    }
    server = Bun.serve({
      port: config.port,
      hostname: config.hostname,
      idleTimeout: KEEP_ALIVE_IDLE_SECONDS,
      fetch: app.fetch,
    })
  } catch (error) {
    metricsServer?.stop(true)
    await assembled.close()
    throw error
  }
  const url = new URL(server.url.href)
  const metricsUrl = metricsServer && new URL('/metrics', metricsServer.url)
  const listening = server
  logger.info('server.started', {
    url: url.href,
    ...(metricsUrl ? { metrics_url: metricsUrl.href } : {}),
    issuer: config.issuer ?? null,
    stores: opened.instances.map(({ plugin, roles, target }) => ({ plugin, roles, target })),
  })
  if (!config.issuer && config.allowedHosts.includes('*') && process.env.NODE_ENV === 'production') {
    // The operator opted in to any Host naming the issuer (preflight.ts): say so at every start.
    logger.warn('server.issuer_from_request', {
      hint: 'any Host header names the issuer: set PORTICO_ISSUER, or list allowedHosts',
    })
  }

  let stopping: Promise<void> | undefined
  const shutdown = (reason = 'shutdown') => {
    stopping ??= (async () => {
      logger.info('server.stopping', { reason })
      const graceMs = config.shutdownTimeoutSeconds * 1000
      const drained = await Promise.race([
        listening.stop(false).then(() => true),
        delay(graceMs).then(() => false),
      ])
      if (!drained) {
        logger.warn('server.shutdown_timeout', { timeout_seconds: config.shutdownTimeoutSeconds })
        await listening.stop(true)
      }
      metricsServer?.stop(true)
      await assembled.close()
      logger.info('server.stopped', { reason })
    })()
    return stopping
  }
  return { url, ...(metricsUrl ? { metricsUrl } : {}), deps: assembled.deps, shutdown }
}

/** Brings every instance's schema up to date (`migrate.auto`), as openStores would have. */
async function migrate(instances: readonly LoadedStore[], config: PorticoConfig): Promise<void> {
  for (const { instance, roles, plugin, target } of instances) {
    if (!instance.migrate) continue
    try {
      await withTimeout(instance.migrate(), MIGRATE_TIMEOUT_MS)
    } catch (error) {
      // The role's options name the credentials to keep out of the message.
      const options = config.stores[roles[0]!].options
      throw new PluginLoadError(
        `${label(roles, plugin, target)}: migration failed: ${reason(error, options)}`,
      )
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.())
}
