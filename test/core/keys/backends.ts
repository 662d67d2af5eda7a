/**
 * The keys stores the key ring tests run over: every real plugin, each in a fresh namespace.
 * `connect()` opens another plugin instance on the same namespace, as another server
 * instance of one deployment would (the memory plugin cannot share between instances, so
 * its connections share one instance).
 */
import type { Clock } from '../../../core/clock.ts'
import { silentLogger } from '../../../core/logger.ts'
import type { PluginInstance } from '../../../core/stores/contract.ts'
import type { KeyStore } from '../../../core/stores/keys.ts'
import memory from '../../../plugins/memory/index.ts'

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

const context = (clock: Clock) => ({ roles: ['keys'] as const, clock, logger: silentLogger })

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

export const backends: KeyBackend[] = [memoryBackend]
