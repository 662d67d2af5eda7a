/**
 * Store calls timed and their failures counted, by role and plugin: each role's stores are
 * wrapped once, when the server opens them, so a call costs two clock reads and one histogram
 * observation more, and nothing when metrics are off (the stores are then used as opened).
 */
import type { StoreRole } from '../../core/stores/contract.ts'
import type { LoadedStore, Stores } from '../stores/load.ts'
import type { PrometheusMetrics, StoreCallLabels } from './prometheus.ts'

type Store = Record<string, unknown>

export function instrumentStores(
  stores: Stores,
  instances: readonly LoadedStore[],
  metrics: PrometheusMetrics,
): Stores {
  const pluginOf = (role: StoreRole) => instances.find((loaded) => loaded.roles.includes(role))?.plugin ?? ''
  const group = (role: 'configuration' | 'operational', roleStores: object) =>
    Object.fromEntries(
      Object.entries(roleStores).map(([name, store]) => [
        name,
        instrument(store as Store, { role, plugin: pluginOf(role), store: name }, metrics),
      ]),
    )
  return {
    configuration: group('configuration', stores.configuration) as unknown as Stores['configuration'],
    operational: group('operational', stores.operational) as unknown as Stores['operational'],
    keys: instrument(
      stores.keys as unknown as Store,
      { role: 'keys', plugin: pluginOf('keys'), store: 'keys' },
      metrics,
    ) as unknown as Stores['keys'],
  }
}

/** A plain object with every method of `store` (own or inherited) timed; called on `store` itself. */
function instrument(
  store: Store,
  labels: Omit<StoreCallLabels, 'operation'>,
  metrics: PrometheusMetrics,
): Store {
  const wrapped: Store = {}
  for (const name of methodNames(store)) {
    const method = store[name] as (...args: unknown[]) => Promise<unknown>
    const callLabels = { ...labels, operation: name }
    wrapped[name] = async function timed(...args: unknown[]) {
      const started = performance.now()
      let failed = false
      try {
        return await method.apply(store, args)
      } catch (error) {
        failed = true
        throw error
      } finally {
        metrics.storeCall(callLabels, (performance.now() - started) / 1000, failed)
      }
    }
  }
  return wrapped
}

/** Methods along the prototype chain (class-based stores keep theirs on the prototype). */
function methodNames(store: object): Set<string> {
  const names = new Set<string>()
  for (let o: object | null = store; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== 'constructor' && typeof (store as Store)[name] === 'function') names.add(name)
    }
  }
  return names
}
