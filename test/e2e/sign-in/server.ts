/**
 * Portico on a real port for the sign-in tests: one or two instances over a store setup (one
 * backend for every role, or Postgres for configuration and keys with Redis for operational
 * state), seeded with relying parties and users. With two instances a small balancer in front
 * sends consecutive requests to alternate instances, as a round-robin load balancer would.
 */
import { Hono } from 'hono'
import { KeyRing } from '../../../core/keys/key-ring.ts'
import { silentLogger } from '../../../core/logger.ts'
import type { PluginInstance, StoreRole } from '../../../core/stores/contract.ts'
import { createPorticoApp } from '../../../server/app.ts'
import { parseConfig } from '../../../server/config/load.ts'
import type { PorticoConfig } from '../../../server/config/resolve.ts'
import { applySeed } from '../../../server/seed.ts'
import type { Stores } from '../../../server/stores/load.ts'
import { type Backend, libsqlBackend, memoryBackend, postgresBackend, redisBackend } from '../backends.ts'
import { TestClock } from '../portico.ts'
import { type SeedOptions, signInSeed } from './seed.ts'

/** Which backend serves which role. */
export interface StoreSetup {
  name: string
  roles: Partial<Record<StoreRole, Backend>> & { configuration: Backend }
}

const single = (backend: Backend): StoreSetup => ({
  name: backend.name,
  roles: { configuration: backend, operational: backend, keys: backend },
})

export const storeSetups: StoreSetup[] = [
  single(memoryBackend),
  single(libsqlBackend),
  single(postgresBackend),
  {
    name: 'postgres + redis',
    roles: { configuration: postgresBackend, operational: redisBackend, keys: postgresBackend },
  },
]
export const postgresRedis = storeSetups[3]!

export interface SignInServer {
  /** The public origin (the balancer's with two instances). */
  issuer: string
  clock: TestClock
  config: PorticoConfig
  /** The stores of the first instance, for looking behind the scenes. */
  stores: Stores
  /** How many requests each instance answered. */
  served: number[]
  close(): Promise<void>
}

export interface SignInServerOptions {
  setup?: StoreSetup
  instances?: 1 | 2
  /** Merged into the config (after the seed). */
  config?: Record<string, unknown>
  /** Seed options (e.g. a back-channel logout receiver's URL). */
  seed?: SeedOptions
  /**
   * Portico under this path, the issuer ending in it: mounted in a host Hono app
   * (`host.route('/id', portico)`, the host answering `/` itself), or, with `keepPrefix`,
   * served as it is behind a proxy that forwards `/id/...` unchanged.
   */
  mountPath?: string
  keepPrefix?: boolean
}

export async function startSignInServer(options: SignInServerOptions = {}): Promise<SignInServer> {
  const setup = options.setup ?? single(memoryBackend)
  const count = options.instances ?? 1
  const clock = new TestClock()
  const served = Array.from({ length: count }, () => 0)
  const apps: { fetch(request: Request, server: unknown): Response | Promise<Response> }[] = []
  let turn = 0
  // The public port exists before the apps, so the issuer can be fixed from the start.
  const front = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(request, server) {
      const index = turn++ % count
      served[index]! += 1
      return apps[index]!.fetch(request, server)
    },
  })
  const issuer = `http://127.0.0.1:${front.port}${options.mountPath ?? ''}`
  const config = parseConfig(
    {
      issuer,
      signing: { algorithms: ['RS256', 'ES256'] },
      seed: signInSeed(issuer, options.seed),
      ...options.config,
    },
    { baseDir: process.cwd() },
  )

  // Memory backends cannot be shared between instances; every other backend gets one namespace.
  const namespaces = new Map<Backend, ReturnType<Backend['namespace']>>()
  for (const backend of new Set(Object.values(setup.roles))) namespaces.set(backend!, backend!.namespace())

  const opened: { instances: PluginInstance[]; keyRing: KeyRing }[] = []
  const firstStores = {} as Stores
  for (let i = 0; i < count; i++) {
    const byBackend = new Map<Backend, StoreRole[]>()
    for (const role of ['configuration', 'operational', 'keys'] as const) {
      const backend = setup.roles[role] ?? setup.roles.configuration
      byBackend.set(backend, [...(byBackend.get(backend) ?? []), role])
    }
    const stores = {} as Stores
    const instances: PluginInstance[] = []
    const loaded = []
    for (const [backend, roles] of byBackend) {
      const instance = await backend.plugin.create(namespaces.get(backend)!.options, {
        roles,
        clock,
        logger: silentLogger,
      })
      await instance.migrate?.()
      instances.push(instance)
      loaded.push({ plugin: backend.name, roles, instance })
      for (const role of roles) Object.assign(stores, { [role]: instance[role] })
    }
    if (i === 0) await applySeed(config.seed, stores.configuration, { logger: silentLogger })
    const keyRing = await KeyRing.create({
      store: stores.keys,
      secret: 'sign-in-key-secret-0123456789abcdef',
      clock,
      algorithms: config.signing.algorithms,
      refreshInterval: 0,
    })
    opened.push({ instances, keyRing })
    const app = createPorticoApp({ config, stores, instances: loaded, keyRing, logger: silentLogger, clock })
    // The Bun server as the env, so hono/bun's getConnInfo sees the socket's address.
    if (options.mountPath && !options.keepPrefix) {
      const host = new Hono()
      host.get('/', (c) => c.text('the host app'))
      host.route(options.mountPath, app)
      apps.push({ fetch: (request, server) => host.fetch(request, server) })
    } else apps.push({ fetch: (request, server) => app.fetch(request, server) })
    if (i === 0) Object.assign(firstStores, stores)
  }
  return {
    issuer,
    clock,
    config,
    stores: firstStores,
    served,
    async close() {
      front.stop(true)
      for (const { instances, keyRing } of opened) {
        keyRing.close()
        for (const instance of instances) await instance.close()
      }
      for (const namespace of namespaces.values()) await namespace.dispose()
    },
  }
}
