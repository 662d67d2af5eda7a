/**
 * Liveness and readiness for load balancers and orchestrators. `/readyz` asks every store
 * instance for `health()` (in parallel, 1 s each) and names the ones that failed: roles, plugin
 * and a reason in common terms (`connection refused`, `timed out after 1000 ms`), never the
 * error text itself, which could describe infrastructure; the log has that.
 */
import type { Hono } from 'hono'
import type { Logger } from '../../core/logger.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { knownReason, withTimeout } from '../stores/failure.ts'
import type { LoadedStore } from '../stores/load.ts'

export const HEALTH_TIMEOUT_MS = 1000

const noStore = { 'Cache-Control': 'no-store' }

export function mountHealthRoutes(
  app: Hono<PorticoEnv>,
  deps: { instances: readonly LoadedStore[]; logger: Logger },
): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }, 200, noStore))

  app.get('/readyz', async (c) => {
    const results = await Promise.all(deps.instances.map((loaded) => check(loaded, deps.logger)))
    const failed = results.filter((result) => result !== undefined)
    if (failed.length === 0) return c.json({ status: 'ready' }, 200, noStore)
    return c.json({ status: 'unavailable', failed }, 503, noStore)
  })
}

interface FailedStore {
  roles: string[]
  plugin: string
  /** `connection refused`, `host not found`, `timed out after 1000 ms`, or `unavailable`. */
  reason: string
}

async function check(loaded: LoadedStore, logger: Logger): Promise<FailedStore | undefined> {
  try {
    await withTimeout(loaded.instance.health(), HEALTH_TIMEOUT_MS)
    return undefined
  } catch (error) {
    const reason = knownReason(error) ?? 'unavailable'
    logger.warn('store.unhealthy', { plugin: loaded.plugin, roles: loaded.roles, reason, error })
    return { roles: loaded.roles, plugin: loaded.plugin, reason }
  }
}
