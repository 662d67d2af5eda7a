/**
 * libSQL store plugin: every role in an embedded SQLite file (Portico's default,
 * `file:./data/portico.db`) or a remote sqld / Turso database.
 *
 * @example
 * { "store": { "plugin": "libsql", "options": { "url": "file:./data/portico.db" } } }
 */
import { definePlugin } from '../../core/stores/contract.ts'
import { StoreUnavailableError } from '../../core/stores/errors.ts'
import { createSqlInstance } from '../sql/instance.ts'
import { libsqlDriver } from './driver.ts'
import { type LibsqlOptions, libsqlOptionsSchema, normalizeOptions } from './options.ts'

export type { LibsqlOptions } from './options.ts'

export default definePlugin<LibsqlOptions>({
  name: 'libsql',
  contract: 1,
  capabilities: { roles: ['configuration', 'operational', 'keys'] },
  options: libsqlOptionsSchema,
  async create(options, context) {
    const normalized = normalizeOptions(options)
    let driver: ReturnType<typeof libsqlDriver>
    try {
      // An embedded file is opened right here; one that cannot be opened fails the start.
      driver = libsqlDriver(normalized)
    } catch (error) {
      throw new StoreUnavailableError('libsql', { cause: error })
    }
    return createSqlInstance(driver, context, { migrate: normalized.migrate })
  },
})
