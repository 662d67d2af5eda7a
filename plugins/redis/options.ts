import type { ClusterNode, ClusterOptions, RedisOptions } from 'ioredis'
import { Redis } from 'ioredis'
import * as v from 'valibot'
import { type OptionsSchema, optionRules as o } from '../../core/stores/options.ts'

/**
 * Options of the Redis plugin. Every other property is passed to ioredis as it is (`password`,
 * `tls`, `sentinels` + `name` for Sentinel, `commandTimeout` …), over fail-fast defaults.
 *
 * @example
 * { url: 'rediss://:secret@redis.internal:6380/2', prefix: 'portico:' }
 * { sentinels: [{ host: 's1', port: 26379 }], name: 'mymaster', prefix: 'portico:' }
 * { cluster: [{ host: 'n1', port: 6379 }], buckets: 16 }
 */
export interface RedisStoreOptions extends Omit<RedisOptions, 'keyPrefix'> {
  /** `redis://[:password@]host[:port][/db]`, or `rediss://` for TLS. Unset: ioredis defaults or `sentinels`. */
  url?: string
  /** Put before every key name, so deployments can share one Redis. Default `portico:`; no braces. */
  prefix?: string
  /**
   * How many hash-tag buckets grants and sessions spread over (see keyspace.ts). Default 1,
   * right for standalone and Sentinel; raise it on Cluster. Changing it orphans existing
   * grants and sessions, so pick it before going live.
   */
  buckets?: number
  /** Seed nodes of a Redis Cluster; when set the plugin connects with ioredis `Cluster`. */
  cluster?: ClusterNode[]
  /** ioredis Cluster options (`scaleReads`, `natMap` …); per-node options go in the top level. */
  clusterOptions?: Omit<ClusterOptions, 'redisOptions' | 'keyPrefix'>
}

export const defaultPrefix = 'portico:'

/**
 * ioredis's own options, passed through: those it has defaults for, and the ones it has none
 * for. `keyPrefix` is not among them (the plugin's `prefix` replaces it).
 */
const ioredisKeys = [
  // Private in ioredis's types, public at run time: the list follows the installed version.
  ...Object.keys((Redis as unknown as { defaultOptions: object }).defaultOptions),
  ...['path', 'tls', 'commandTimeout', 'socketTimeout', 'sentinelUsername', 'sentinelPassword'],
  ...['sentinelTLS', 'sentinelCommandTimeout', 'preferredSlaves'],
].filter((key) => key !== 'keyPrefix')

/** What an operator may write: the plugin's keys, and ioredis's. */
export const redisOptionsSchema = o.strict(
  {
    ...Object.fromEntries(ioredisKeys.map((key) => [key, v.optional(v.unknown())])),
    url: v.optional(o.url(['redis:', 'rediss:'])),
    prefix: v.optional(
      v.pipe(
        o.text(),
        v.check(
          (prefix) => !/[{}]/.test(prefix),
          (i) => `must not contain braces, the Cluster hash-tag delimiters (given ${i.received})`,
        ),
      ),
    ),
    buckets: v.optional(o.integer(1, 16_384)),
    cluster: v.optional(
      v.array(
        o.strict({ host: o.text(), port: o.integer(1, 65_535) }),
        (i) => `must be a list of { host, port } (given ${i.received})`,
      ),
    ),
    clusterOptions: v.optional(
      v.record(v.string(), v.unknown(), (i) => `must be an object (given ${i.received})`),
    ),
  },
  'url, prefix, buckets, cluster, clusterOptions, or an ioredis option such as password, tls, db, sentinels and name',
) as unknown as OptionsSchema<RedisStoreOptions>
