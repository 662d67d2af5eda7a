/**
 * The in-process store plugin: every role, nothing persisted. It is the reference
 * implementation of the store contract (it passes the whole conformance kit) and the store
 * for tests and single-process demos. Data lives as long as the instance; two instances
 * never share data.
 *
 * @example
 * const instance = await memory.create({}, { roles: ['operational'], clock: systemClock, logger })
 */
import * as v from 'valibot'
import type { PluginInstance } from '../../core/stores/contract.ts'
import { definePlugin } from '../../core/stores/contract.ts'
import { type OptionsSchema, optionRules as o } from '../../core/stores/options.ts'
import { memoryClientStore } from './clients.ts'
import { memoryDeviceCodeStore } from './device-codes.ts'
import { memoryGrantStore } from './grants.ts'
import { memoryKeyStore } from './keys.ts'
import { MemoryLifecycle } from './lifecycle.ts'
import { memoryReplayCache } from './replay-cache.ts'
import { memoryResourceStore } from './resources.ts'
import { memorySessionStore } from './sessions.ts'
import { memoryUserStore } from './users.ts'

export interface MemoryOptions {
  /** Ignored; accepted so a `memory:` store URL maps onto options like any other plugin's. */
  url?: string
}

export default definePlugin<MemoryOptions>({
  name: 'memory',
  contract: 1,
  capabilities: { roles: ['configuration', 'operational', 'keys'] },
  options: o.strict({ url: v.optional(o.text()) }) as OptionsSchema<MemoryOptions>,
  async create(_options, context) {
    const life = new MemoryLifecycle(context.clock)
    const instance: PluginInstance = {
      async health() {
        life.assertOpen()
      },
      async close() {
        life.close()
      },
    }
    if (context.roles.includes('configuration')) {
      instance.configuration = {
        clients: memoryClientStore(life),
        resources: memoryResourceStore(life),
        users: memoryUserStore(life),
      }
    }
    if (context.roles.includes('operational')) {
      instance.operational = {
        grants: memoryGrantStore(life),
        deviceCodes: memoryDeviceCodeStore(life),
        sessions: memorySessionStore(life),
        replay: memoryReplayCache(life),
      }
    }
    if (context.roles.includes('keys')) instance.keys = memoryKeyStore(life)
    return instance
  },
})
