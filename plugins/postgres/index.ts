/**
 * Postgres store plugin: every role, in one schema of a shared database.
 *
 * @example
 * { "store": { "plugin": "postgres", "options": { "url": "postgres://root@127.0.0.1:5432/test", "schema": "portico" } } }
 */
import { definePlugin } from '../../core/stores/contract.ts'
import { createSqlInstance } from '../sql/instance.ts'
import { postgresDriver } from './driver.ts'
import { normalizeOptions, type PostgresOptions, postgresOptionsSchema } from './options.ts'

export type { PostgresOptions } from './options.ts'

export default definePlugin<PostgresOptions>({
  name: 'postgres',
  contract: 1,
  capabilities: { roles: ['configuration', 'operational', 'keys'] },
  options: postgresOptionsSchema,
  async create(options, context) {
    const normalized = normalizeOptions(options)
    return createSqlInstance(postgresDriver(normalized), context, {
      migrate: normalized.migrate,
      callTimeoutMs: normalized.queryTimeout * 1000,
    })
  },
})
