import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../../../core/clock.ts'
import { silentLogger } from '../../../core/logger.ts'
import type { PluginContext, PluginInstance } from '../../../core/stores/contract.ts'
import type { KeyStore } from '../../../core/stores/keys.ts'
import libsql from '../../../plugins/libsql/index.ts'
import memory from '../../../plugins/memory/index.ts'
import postgresPlugin from '../../../plugins/postgres/index.ts'
import redis from '../../../plugins/redis/index.ts'
import { dropPrefix, freshOptions } from '../../plugins/fixtures/redis/namespace.ts'
import { dropSchema, freshPostgres } from '../../plugins/fixtures/sql/namespace.ts'

export interface KeyNamespace {
  /** A keys store on this namespace, from a new plugin instance where the backend allows. */
  connect(): Promise<KeyStore>
  /** Closes every instance and drops the namespace. */
  dispose(): Promise<void>
}

export interface KeyBackend {
  name: string
  open(clock: Clock): Promise<KeyNamespace>
}

/** A clock the tests move by hand. */
export class ManualClock implements Clock {
  constructor(private time = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.time
  }
  advance(ms: number): void {
    this.time += ms
  }
}

export const SECOND = 1000
export const DAY = 24 * 60 * 60 * SECOND

const context = (clock: Clock): PluginContext => ({ roles: ['keys'], clock, logger: silentLogger })

function keysOf(instance: PluginInstance): KeyStore {
  if (!instance.keys) throw new Error('the plugin returned no keys store')
  return instance.keys
}

const memoryBackend: KeyBackend = {
  name: 'memory',
  async open(clock) {
    const instance = await memory.create({}, context(clock))
    return {
      connect: async () => keysOf(instance),
      dispose: () => instance.close(),
    }
  },
}

/**
 * Instances on one namespace; the first migrates, later ones open the migrated schema as
 * further server instances would.
 */
function namespaceOf<O>(
  plugin: { create(options: O, context: PluginContext): Promise<PluginInstance> },
  clock: Clock,
  options: O,
  later: Partial<O>,
  drop: () => Promise<void>,
): KeyNamespace {
  const instances: PluginInstance[] = []
  return {
    async connect() {
      const first = instances.length === 0
      const instance = await plugin.create(first ? options : { ...options, ...later }, context(clock))
      instances.push(instance)
      if (first) await instance.migrate?.()
      return keysOf(instance)
    },
    async dispose() {
      await Promise.allSettled(instances.splice(0).map((i) => i.close()))
      await drop()
    },
  }
}

const libsqlBackend: KeyBackend = {
  name: 'libsql',
  async open(clock) {
    const dir = await mkdtemp(join(tmpdir(), 'portico-keys-libsql-'))
    const ns = namespaceOf(libsql, clock, { url: `file:${join(dir, 'keys.db')}` }, { migrate: false }, () =>
      rm(dir, { recursive: true, force: true }),
    )
    await ns.connect()
    return ns
  },
}

const postgresBackend: KeyBackend = {
  name: 'postgres',
  async open(clock) {
    const options = freshPostgres({ poolSize: 2 })
    // Small pools: the race test opens ten instances at once.
    const ns = namespaceOf(postgresPlugin, clock, options, { migrate: false }, () => dropSchema(options))
    await ns.connect()
    return ns
  },
}

const redisBackend: KeyBackend = {
  name: 'redis',
  async open(clock) {
    const options = freshOptions()
    return namespaceOf(redis, clock, options, {}, () => dropPrefix(options))
  },
}

export const backends: KeyBackend[] = [memoryBackend, libsqlBackend, postgresBackend, redisBackend]
