import type { ClusterNode, ClusterOptions, RedisOptions } from 'ioredis'

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
