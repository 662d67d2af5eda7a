/**
 * The whole conformance kit through ioredis `Cluster`, against a private one-node Redis
 * Cluster. Scripts run with the `#!lua` shebang there, so Redis refuses any key a script
 * touches outside the slot of its declared keys: passing proves the hash-tag layout keeps
 * every record and its indexes in one slot.
 */
import { afterAll, beforeAll } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import redis from '../../plugins/redis/index.ts'
import type { RedisStoreOptions } from '../../plugins/redis/options.ts'
import { conformance } from '../conformance/bun.ts'
import { PrivateRedis } from './fixtures/redis/private-server.ts'

let server: PrivateRedis

beforeAll(async () => {
  server = await PrivateRedis.start({ cluster: true })
})

afterAll(async () => {
  await server?.stop()
})

/** Keys of different slots cannot share one UNLINK on a cluster node: one per key. */
async function dropPrefix(options: RedisStoreOptions): Promise<void> {
  const node = new Redis(server.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await node.connect()
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${options.prefix}*`, 'COUNT', 1000)
      await Promise.all(keys.map((key) => node.unlink(key)))
      cursor = next
    } while (cursor !== '0')
  } finally {
    node.disconnect()
  }
}

conformance<RedisStoreOptions>({
  plugin: redis,
  options: () => ({
    cluster: [{ host: '127.0.0.1', port: server.port }],
    prefix: `portico-test:${randomBytes(6).toString('hex')}:`,
    buckets: 5,
  }),
  cleanup: dropPrefix,
})
