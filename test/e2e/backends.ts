/**
 * The store backends the end-to-end token tests run on: the memory reference plugin and every
 * real plugin, each in a fresh namespace (Postgres schema, Redis key prefix, libSQL temp file)
 * that `dispose()` drops.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { StorePlugin } from '../../core/stores/contract.ts'
import libsql from '../../plugins/libsql/index.ts'
import memory from '../../plugins/memory/index.ts'
import postgresPlugin from '../../plugins/postgres/index.ts'
import redis from '../../plugins/redis/index.ts'
import { dropPrefix, freshOptions } from '../plugins/fixtures/redis/namespace.ts'
import { dropSchema, freshPostgres } from '../plugins/fixtures/sql/namespace.ts'

export interface Backend {
  name: string
  plugin: StorePlugin<Record<string, unknown>>
  /** Options for a fresh namespace, and how to drop it once the instance is closed. */
  namespace(): { options: Record<string, unknown>; dispose(): Promise<void> }
}

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
    const options = freshPostgres()
    return { options: { ...options }, dispose: () => dropSchema(options) }
  },
}

export const redisBackend: Backend = {
  name: 'redis',
  plugin: redis as unknown as StorePlugin<Record<string, unknown>>,
  namespace() {
    const options = freshOptions()
    return { options: { ...options }, dispose: () => dropPrefix(options) }
  },
}

export const backends: Backend[] = [memoryBackend, libsqlBackend, postgresBackend, redisBackend]
