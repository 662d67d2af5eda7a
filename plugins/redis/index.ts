/**
 * The Redis store plugin (ioredis): every role, built for the high-churn operational data of
 * load-balanced deployments (codes, tokens, consent, device codes, sessions, replay cache),
 * with native expiry, one-round-trip atomic consume and secondary indexes instead of scans.
 * Standalone, Sentinel and Cluster; see README.md for the key layout and the fault behaviour.
 *
 * @example
 * const instance = await redis.create({ url: 'redis://127.0.0.1:6379/0' }, { roles: ['operational'], clock, logger })
 */
import type { PluginInstance } from '../../core/stores/contract.ts'
import { definePlugin } from '../../core/stores/contract.ts'
import { redisClientStore } from './clients.ts'
import { RedisConnection } from './connection.ts'
import { redisDeviceCodeStore } from './device-codes.ts'
import { redisGrantStore } from './grants.ts'
import { redisKeyStore } from './keys.ts'
import { Keyspace } from './keyspace.ts'
import { defaultPrefix, type RedisStoreOptions, redisOptionsSchema } from './options.ts'
import { redisReplayCache } from './replay-cache.ts'
import { redisResourceStore } from './resources.ts'
import { redisSessionStore } from './sessions.ts'
import { redisUserStore } from './users.ts'

export type { RedisStoreOptions } from './options.ts'

export default definePlugin<RedisStoreOptions>({
  name: 'redis',
  contract: 1,
  capabilities: { roles: ['configuration', 'operational', 'keys'], nativeTtl: true },
  options: redisOptionsSchema,
  async create(options, context) {
    const keyspace = new Keyspace(options.prefix ?? defaultPrefix, options.buckets ?? 1)
    const connection = new RedisConnection(options, context.logger.child({ store: 'redis' }))
    const now = () => context.clock.now()
    const instance: PluginInstance = {
      health: () => connection.health(),
      close: () => connection.close(),
    }
    if (context.roles.includes('configuration')) {
      instance.configuration = {
        clients: redisClientStore(connection, keyspace),
        resources: redisResourceStore(connection, keyspace),
        users: redisUserStore(connection, keyspace),
      }
    }
    if (context.roles.includes('operational')) {
      instance.operational = {
        grants: redisGrantStore(connection, keyspace, now),
        deviceCodes: redisDeviceCodeStore(connection, keyspace, now),
        sessions: redisSessionStore(connection, keyspace, now),
        replay: redisReplayCache(connection, keyspace, now),
      }
    }
    if (context.roles.includes('keys')) instance.keys = redisKeyStore(connection, keyspace)
    await connection.connect()
    return instance
  },
})
