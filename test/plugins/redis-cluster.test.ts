/**
 * The whole conformance kit through ioredis `Cluster`, against a private one-node Redis
 * Cluster. Scripts run with the `#!lua` shebang there, so Redis refuses any key a script
 * touches outside the slot of its declared keys: passing proves the hash-tag layout keeps
 * every record and its indexes in one slot.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import { createHandle, grantKey } from '../../core/stores/handles.ts'
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
  module: fileURLToPath(new URL('../../plugins/redis/index.ts', import.meta.url)),
})

describe('redis plugin on Cluster: the cluster goes down and comes back', () => {
  test('calls reject with StoreUnavailableError at once, and the same instance resumes', async () => {
    const options: RedisStoreOptions = {
      cluster: [{ host: '127.0.0.1', port: server.port }],
      prefix: `portico-test:${randomBytes(6).toString('hex')}:`,
      buckets: 3,
    }
    const instance = await redis.create(options, {
      roles: ['operational'],
      clock: systemClock,
      logger: silentLogger,
    })
    const { grants } = instance.operational!
    const now = Date.now()
    const grant = () => ({
      key: grantKey(createHandle(), 'refresh_token'),
      type: 'refresh_token',
      subjectId: 'alice',
      clientId: 'web',
      createdAt: now,
      expiresAt: now + 60_000,
      data: '{}',
    })
    try {
      await grants.store(grant())
      await server.kill()
      const started = Date.now()
      await expect(grants.getAll({ subjectId: 'alice' })).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
      })
      await expect(instance.health()).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
      expect(Date.now() - started).toBeLessThan(3_000)

      await server.restart()
      const deadline = Date.now() + 15_000
      for (;;) {
        try {
          await instance.health()
          break
        } catch (error) {
          if (Date.now() > deadline) throw error
          await Bun.sleep(100)
        }
      }
      const after = grant()
      await grants.store(after)
      expect(await grants.get(after.key)).toEqual(after)
    } finally {
      await instance.close()
      await dropPrefix(options)
    }
  }, 30_000)
})
