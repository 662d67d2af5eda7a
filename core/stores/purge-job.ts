/**
 * The background purge of expired operational records. Stores never return an expired record,
 * but only this removes them, in batches so no backend holds long locks. It knows nothing of
 * the backend: instances sharing one database may all run it, and a plugin keeps their
 * batches apart (Postgres: `FOR UPDATE SKIP LOCKED`).
 */
import type { Clock } from '../clock.ts'
import type { Logger } from '../logger.ts'
import { isStoreUnavailable } from './errors.ts'
import type { OperationalStores } from './operational.ts'

export interface PurgeCounts {
  grants: number
  deviceCodes: number
  sessions: number
  replay: number
  total: number
}

/** Removes every record expired at `before` from each operational store, one store after another. */
export async function purgeExpiredRecords(
  stores: OperationalStores,
  options: { before: number; batchSize: number },
): Promise<PurgeCounts> {
  const grants = await stores.grants.purgeExpired(options)
  const deviceCodes = await stores.deviceCodes.purgeExpired(options)
  const sessions = await stores.sessions.purgeExpired(options)
  const replay = await stores.replay.purgeExpired(options)
  return { grants, deviceCodes, sessions, replay, total: grants + deviceCodes + sessions + replay }
}

export interface PurgeJobOptions {
  stores: OperationalStores
  clock: Clock
  logger: Logger
  /** Milliseconds between runs (default one hour). */
  intervalMs?: number
  /** Records removed per statement (default 1000). */
  batchSize?: number
  /**
   * Where in the first interval the first run falls, as a fraction in [0, 1) (default
   * `Math.random`), so instances started together do not purge in lockstep.
   */
  random?: () => number
}

export interface PurgeJob {
  /** Runs a purge now (or joins the one under way). Never rejects: failures are logged. */
  runNow(): Promise<PurgeCounts | undefined>
  /** Cancels the timer and waits for a run under way. Idempotent. */
  stop(): Promise<void>
}

export function startPurgeJob(options: PurgeJobOptions): PurgeJob {
  const { stores, clock, logger } = options
  const intervalMs = options.intervalMs ?? 3_600_000
  const batchSize = options.batchSize ?? 1000
  if (!(intervalMs > 0)) throw new RangeError('intervalMs must be positive')
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer')

  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<PurgeCounts | undefined> | undefined
  let stopped = false

  async function run(): Promise<PurgeCounts | undefined> {
    const started = performance.now()
    try {
      const counts = await purgeExpiredRecords(stores, { before: clock.now(), batchSize })
      const fields = { ...counts, duration_ms: Math.round(performance.now() - started) }
      if (counts.total > 0) logger.info('store.purge_expired', fields)
      else logger.debug('store.purge_expired', fields)
      return counts
    } catch (error) {
      // The next run tries again; an outage must not stop the job or crash the process.
      logger.warn('store.purge_failed', {
        code: isStoreUnavailable(error) ? error.code : (error as { code?: unknown })?.code,
        error: error instanceof Error ? error.message : String(error),
      })
      return undefined
    }
  }

  function runNow(): Promise<PurgeCounts | undefined> {
    running ??= run().finally(() => {
      running = undefined
    })
    return running
  }

  function schedule(delayMs: number) {
    if (stopped) return
    timer = setTimeout(() => {
      void runNow().then(() => schedule(intervalMs))
    }, delayMs)
    // The job alone never keeps the process alive.
    timer.unref?.()
  }

  schedule(Math.floor((options.random ?? Math.random)() * intervalMs))

  return {
    runNow,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
