/**
 * The conformance kit through Redis Sentinel: the plugin is given only the sentinels and the
 * master group name (no URL), and ioredis asks a private Sentinel for the master.
 */
import { afterAll, beforeAll } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import redis from '../../plugins/redis/index.ts'
import type { RedisStoreOptions } from '../../plugins/redis/options.ts'
import { conformance } from '../conformance/bun.ts'
import { dropPrefix } from './fixtures/redis/namespace.ts'
import { PrivateRedis, PrivateSentinel } from './fixtures/redis/private-server.ts'

let master: PrivateRedis
let sentinel: PrivateSentinel

beforeAll(async () => {
  master = await PrivateRedis.start()
  sentinel = await PrivateSentinel.start(master, 'portico-master')
})

afterAll(async () => {
  await sentinel?.stop()
  await master?.stop()
})

conformance<RedisStoreOptions>({
  plugin: redis,
  options: () => ({
    sentinels: [{ host: '127.0.0.1', port: sentinel.port }],
    name: 'portico-master',
    prefix: `portico-test:${randomBytes(6).toString('hex')}:`,
  }),
  cleanup: (options) => dropPrefix({ ...options, url: master.url }),
  module: fileURLToPath(new URL('../../plugins/redis/index.ts', import.meta.url)),
})
