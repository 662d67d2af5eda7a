/**
 * One ioredis client (standalone, Sentinel or Cluster) tuned to fail fast: while Redis is
 * unreachable every call rejects at once with `StoreUnavailableError` instead of queueing, and
 * the client keeps reconnecting in the background, so service resumes by itself.
 */
import { Cluster, type ClusterOptions, Redis, type RedisOptions, ReplyError } from 'ioredis'
import type { Logger } from '../../core/logger.ts'
import { StoreUnavailableError } from '../../core/stores/errors.ts'
import type { RedisStoreOptions } from './options.ts'

export type RedisClient = Redis | Cluster

type ScriptCommand = (this: RedisClient, ...keysThenArgs: (string | number)[]) => Promise<unknown>
/** A registered Lua script: its keys (declared, so Cluster routes it), then its arguments. */
export type Script = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>

/**
 * Defaults that keep requests bounded while Redis is down: no offline queue (a command sent
 * while disconnected fails now), commands in flight when the connection drops fail instead of
 * being resent after reconnecting (a resent consume could win twice), and a command timeout so
 * a hung server cannot hold a request forever. Reconnection never gives up.
 */
const failFast: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: 2000,
  connectTimeout: 2000,
  retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 1000),
  // After a failover the old master answers READONLY: reconnect (Sentinel then finds the new one).
  reconnectOnError: (error) => error.message.startsWith('READONLY'),
  lazyConnect: true,
  // Commands issued in the same event-loop turn (concurrent requests) leave in one socket
  // write and their replies come back in one read: one syscall per batch, not per command.
  enableAutoPipelining: true,
}

/**
 * On Cluster the offline queue is refused by the Cluster client itself; its node connections
 * keep theirs, which the Cluster needs to ask a node for the slot map before it is ready.
 */
const clusterFailFast: ClusterOptions = {
  enableOfflineQueue: false,
  lazyConnect: true,
  enableAutoPipelining: true,
  maxRedirections: 4,
  clusterRetryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 1000),
}

/** How long `create` waits for the first connection before handing out a reconnecting instance. */
const firstConnectMs = 3000

/** Redis answers that mean "not now" rather than "wrong": a failover, a load, a busy script. */
const transient = /^(LOADING|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|BUSY|MISCONF)\b/

export class RedisConnection {
  readonly client: RedisClient
  #closed = false
  #down = false
  /** Why the last connection attempt failed (`ECONNREFUSED` …), the cause while disconnected. */
  #lastError: Error | undefined

  constructor(
    options: RedisStoreOptions,
    private readonly logger: Logger,
  ) {
    this.client = createClient(options)
    // Without a listener ioredis reports every failed reconnect as an unhandled 'error' event.
    this.client.on('error', (error: Error) => {
      this.#lastError = error
      this.#markDown(error)
    })
    this.client.on('close', () => this.#markDown())
    this.client.on('ready', () => {
      if (this.#down) this.logger.info('redis.reconnected')
      this.#down = false
      this.#lastError = undefined
    })
  }

  /** Connects once; an unreachable Redis is logged, not thrown, and retried in the background. */
  async connect(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const slow = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, firstConnectMs)
    })
    const connecting = this.client.connect()
    // Still pending when `slow` wins: its later failure is the reconnect loop's business.
    connecting.catch(() => {})
    try {
      await Promise.race([connecting, slow])
    } catch (error) {
      this.#markDown(error)
    } finally {
      clearTimeout(timer)
    }
  }

  /** Runs commands, failing fast while disconnected and mapping outages to `StoreUnavailableError`. */
  async run<T>(commands: (client: RedisClient) => Promise<T>): Promise<T> {
    if (this.client.status !== 'ready') {
      throw new StoreUnavailableError('redis', {
        cause: new Error(this.#closed ? 'instance is closed' : `connection is ${this.client.status}`, {
          cause: this.#closed ? undefined : this.#lastError,
        }),
      })
    }
    try {
      return await commands(this.client)
    } catch (error) {
      throw toStoreError(error)
    }
  }

  /**
   * Registers a Lua script (EVALSHA, falling back to EVAL once after a Redis restart) and
   * returns a caller that goes through `run`.
   */
  script(name: string, numberOfKeys: number, lua: string): Script {
    // On Cluster the `#!lua` shebang (Redis 7) makes Redis refuse any key outside the declared
    // keys' slot, so a layout mistake fails loudly instead of working only until a reshard.
    const source = this.client instanceof Cluster ? `#!lua\n${lua.trimStart()}` : lua
    this.client.defineCommand(name, { numberOfKeys, lua: source })
    const command = (this.client as unknown as Record<string, ScriptCommand>)[name]!
    return (keys, args) => this.run((client) => command.call(client, ...keys, ...args))
  }

  async health(): Promise<void> {
    await this.run((client) => client.ping())
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.client.status === 'ready') await this.client.quit().catch(() => {})
    this.client.disconnect()
  }

  #markDown(error?: unknown): void {
    if (this.#closed || this.#down) return
    this.#down = true
    const reason = error instanceof Error ? error.message : 'connection closed'
    this.logger.warn('redis.unavailable', { reason })
  }
}

/** A Redis error reply that is not an outage is a bug or bad data: it surfaces as it is. */
function toStoreError(error: unknown): unknown {
  if (error instanceof ReplyError && !transient.test((error as Error).message)) return error
  return new StoreUnavailableError('redis', { cause: error })
}

function createClient(options: RedisStoreOptions): RedisClient {
  const { url, prefix: _prefix, buckets: _buckets, cluster, clusterOptions, ...passThrough } = options
  if ('keyPrefix' in passThrough) {
    // ioredis would prefix declared keys but not the names scripts build: use `prefix`.
    throw new TypeError('redis: use the `prefix` option, not ioredis `keyPrefix`')
  }
  if (cluster) {
    const { enableOfflineQueue: _queue, lazyConnect: _lazy, ...nodeDefaults } = failFast
    const redisOptions: RedisOptions = { ...nodeDefaults, ...passThrough }
    return new Cluster(cluster, { ...clusterFailFast, ...clusterOptions, redisOptions })
  }
  const redisOptions: RedisOptions = { ...failFast, ...passThrough }
  return url ? new Redis(url, redisOptions) : new Redis(redisOptions)
}
