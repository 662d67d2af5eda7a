/**
 * Builds a plugin instance from a dialect driver: the same shared stores for both dialects,
 * each method's errors mapped onto the store contract.
 */
import type { SQL, SQLWrapper } from 'drizzle-orm'
import type { PluginContext, PluginInstance } from '../../core/stores/contract.ts'
import { StoreUnavailableError } from '../../core/stores/errors.ts'
import { clientStore } from './configuration/clients.ts'
import { resourceStore } from './configuration/resources.ts'
import { userStore } from './configuration/users.ts'
import type { SqlContext } from './context.ts'
import type { SqlDatabase } from './dialect.ts'
import { type ClassifyError, guarded, storeError } from './errors.ts'
import { keyStore } from './keys.ts'
import { type Lookups, lookups } from './nul.ts'
import { deviceCodeStore } from './operational/device-codes.ts'
import { grantStore } from './operational/grants.ts'
import { replayCache } from './operational/replay.ts'
import { sessionStore } from './operational/sessions.ts'
import type { SqlTables } from './schema.ts'

/** What a dialect plugin supplies. */
export interface SqlDriver {
  /** The plugin's name, used in errors (`store "postgres" is unavailable`). */
  name: string
  db: SqlDatabase
  /** See SqlContext.preparedDb (default: db). */
  preparedDb?: SqlDatabase
  tables: SqlTables
  purgeLock: SQL
  /** See SqlContext.purgeRowId. */
  purgeRowId?: SQL
  /** See SqlContext.byCodePoint. */
  byCodePoint: SQL
  atomic(writes: SQLWrapper[]): Promise<void>
  classify: ClassifyError
  /** One round trip to the database. */
  ping(): Promise<void>
  migrate(): Promise<void>
  close(): Promise<void>
}

export interface SqlInstanceOptions {
  /** Apply pending migrations before returning (default false: the server calls `migrate()`). */
  migrate?: boolean
  /** How long `health()` waits for the database (default 2000 ms). */
  healthTimeoutMs?: number
  /** How long any store call waits for the database before StoreUnavailableError (default: no limit). */
  callTimeoutMs?: number
}

export async function createSqlInstance(
  driver: SqlDriver,
  context: PluginContext,
  options: SqlInstanceOptions = {},
): Promise<PluginInstance> {
  const { name, classify } = driver
  const sqlContext: SqlContext = {
    db: driver.db,
    preparedDb: driver.preparedDb ?? driver.db,
    tables: driver.tables,
    clock: context.clock,
    purgeLock: driver.purgeLock,
    ...(driver.purgeRowId ? { purgeRowId: driver.purgeRowId } : {}),
    ...(options.callTimeoutMs === undefined
      ? {}
      : { batchDeadline: { store: name, ms: options.callTimeoutMs } }),
    byCodePoint: driver.byCodePoint,
    atomic: driver.atomic,
  }
  const guard = <T extends object>(methods: T, lookups?: Lookups) =>
    guarded(name, methods, classify, lookups, options.callTimeoutMs)
  const roles = new Set(context.roles)
  let closed = false

  async function migrate() {
    try {
      await driver.migrate()
    } catch (error) {
      throw storeError(name, error, classify)
    }
  }

  const instance: PluginInstance = {
    async health() {
      let timer: ReturnType<typeof setTimeout> | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StoreUnavailableError(name)), options.healthTimeoutMs ?? 2000)
      })
      try {
        await Promise.race([driver.ping(), timeout])
      } catch (error) {
        // Whatever keeps the database from answering, health() reports it as unavailable.
        const mapped = error instanceof StoreUnavailableError ? error : storeError(name, error, classify)
        throw mapped instanceof StoreUnavailableError
          ? mapped
          : new StoreUnavailableError(name, { cause: mapped })
      } finally {
        clearTimeout(timer)
      }
    },
    async close() {
      if (closed) return
      closed = true
      await driver.close()
    },
    migrate,
  }
  if (roles.has('configuration')) {
    instance.configuration = {
      clients: guard(clientStore(sqlContext), lookups.clients),
      resources: guard(resourceStore(sqlContext), lookups.resources),
      users: guard(userStore(sqlContext), lookups.users),
    }
  }
  if (roles.has('operational')) {
    instance.operational = {
      grants: guard(grantStore(sqlContext), lookups.grants),
      deviceCodes: guard(deviceCodeStore(sqlContext), lookups.deviceCodes),
      sessions: guard(sessionStore(sqlContext), lookups.sessions),
      replay: guard(replayCache(sqlContext), lookups.replay),
    }
  }
  if (roles.has('keys')) instance.keys = guard(keyStore(sqlContext), lookups.keys)

  try {
    // A database unreachable at start fails the start, with StoreUnavailableError.
    await instance.health()
    if (options.migrate) await migrate()
  } catch (error) {
    await driver.close().catch(() => {})
    throw error
  }
  return instance
}
