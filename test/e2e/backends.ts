/**
 * The store backends the end-to-end token tests run on: the memory reference plugin and every
 * real plugin, each in a fresh namespace (Postgres schema, Redis key prefix, libSQL temp file)
 * that `dispose()` drops.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import postgres from 'postgres'
import type { StorePlugin } from '../../core/stores/contract.ts'
import libsql from '../../plugins/libsql/index.ts'
import memory from '../../plugins/memory/index.ts'
import postgresPlugin from '../../plugins/postgres/index.ts'
import redis from '../../plugins/redis/index.ts'

export interface Backend {
  name: string
  plugin: StorePlugin<Record<string, unknown>>
  /** Options for a fresh namespace, and how to drop it once the instance is closed. */
  namespace(): { options: Record<string, unknown>; dispose(): Promise<void> }
}

const postgresUrl = process.env.PORTICO_TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test'
const redisUrl = process.env.PORTICO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

const unique = () => randomBytes(6).toString('hex')

export const memoryBackend: Backend = {
  name: 'memory',
  plugin: memory as StorePlugin<Record<string, unknown>>,
  namespace: () => ({ options: {}, dispose: async () => {} }),
}

export const libsqlBackend: Backend = {
  name: 'libsql',
  plugin: libsql as unknown as StorePlugin<Record<string, unknown>>,
  namespace() {
    const dir = mkdtempSync(join(tmpdir(), 'portico-e2e-'))
    return {
      options: { url: `file:${join(dir, 'portico.db')}` },
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    }
  },
}

export const postgresBackend: Backend = {
  name: 'postgres',
  plugin: postgresPlugin as unknown as StorePlugin<Record<string, unknown>>,
  namespace() {
    const schema = `portico_${unique()}`
    return {
      options: { url: postgresUrl, schema, poolSize: 4 },
      async dispose() {
        const sql = postgres(postgresUrl, { max: 1, onnotice: () => {} })
        try {
          await sql`drop schema if exists ${sql(schema)} cascade`
        } finally {
          await sql.end({ timeout: 5 })
        }
      },
    }
  },
}

export const redisBackend: Backend = {
  name: 'redis',
  plugin: redis as unknown as StorePlugin<Record<string, unknown>>,
  namespace() {
    const prefix = `portico-test:${unique()}:`
    return {
      options: { url: redisUrl, prefix },
      async dispose() {
        const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
        try {
          await client.connect()
          let cursor = '0'
          do {
            const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
            if (keys.length > 0) await client.unlink(...keys)
            cursor = next
          } while (cursor !== '0')
        } finally {
          client.disconnect()
        }
      },
    }
  },
}

export const backends: Backend[] = [memoryBackend, libsqlBackend, postgresBackend, redisBackend]
