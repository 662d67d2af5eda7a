/**
 * Liveness and readiness for load balancers and orchestrators. `/readyz` asks every store
 * instance for `health()` (in parallel, 1 s each) and names the ones that failed, without
 * their error text, which could describe infrastructure.
 */
import type { Hono } from 'hono'
import type { Logger } from '../../core/logger.ts'
import type { PorticoEnv } from '../app.ts'
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
  reason: 'timeout' | 'unhealthy'
}

async function check(loaded: LoadedStore, logger: Logger): Promise<FailedStore | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), HEALTH_TIMEOUT_MS)
  })
  try {
    const outcome = await Promise.race([loaded.instance.health().then(() => 'ok' as const), timedOut])
    if (outcome === 'ok') return undefined
    logger.warn('store.health_timeout', { plugin: loaded.plugin, roles: loaded.roles })
    return { roles: loaded.roles, plugin: loaded.plugin, reason: 'timeout' }
  } catch (error) {
    logger.warn('store.unhealthy', { plugin: loaded.plugin, roles: loaded.roles, error })
    return { roles: loaded.roles, plugin: loaded.plugin, reason: 'unhealthy' }
  } finally {
    clearTimeout(timer)
  }
}
