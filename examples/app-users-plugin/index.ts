/**
 * portico-store-app-users: Portico's configuration role over an application's own Postgres
 * database, whose tables Portico did not design. Users sign in with the accounts and argon2id
 * passwords the application already has (`app_users`); relying parties are the application's
 * registered OAuth clients (`app_oauth_clients`).
 *
 * The application owns its rows: the plugin reads them and never writes them. What the
 * application has no column for (lockout records, identity and API resources, clients and users
 * Portico itself adds) lives in tables of the plugin's own schema, which it creates and migrates.
 *
 * @example
 * // portico.config.ts
 * stores: {
 *   configuration: {
 *     plugin: 'portico-store-app-users',
 *     options: { url: 'postgres://portico@db/app', appSchema: 'public', schema: 'portico_app' },
 *   },
 *   operational: 'redis://cache:6379/0',
 *   keys: 'postgres://portico@db/portico',
 * }
 */

import { definePlugin, optionRules as o, StoreUnavailableError } from 'portico'
import * as v from 'valibot'
import { appClients } from './clients.ts'
import { openDatabase, pluginName } from './database.ts'
import { migrate } from './migrate.ts'
import { sideResources } from './resources.ts'
import { appUsers } from './users.ts'

export { AppOwnedError } from './app-owned.ts'

export interface AppUsersOptions {
  /** `postgres://user:password@host:port/database`: the application's database. */
  url: string
  /** The schema holding `app_users` and `app_oauth_clients` (default `public`). */
  appSchema?: string
  /** The plugin's own schema, for what the application has no column for (default `portico_app`). */
  schema?: string
  /** Connections in the pool (default 5). */
  poolSize?: number
  /** Seconds to wait for a connection (default 5). */
  connectTimeout?: number
}

const schemaName = () =>
  v.pipe(
    o.text(),
    v.regex(
      /^[a-z_][a-z0-9_]{0,62}$/,
      (i) => `must be lower-case letters, digits and _ (given ${i.received})`,
    ),
  )

export default definePlugin<AppUsersOptions>({
  name: pluginName,
  contract: 1,
  capabilities: { roles: ['configuration'] },
  options: o.strict({
    url: o.url(['postgres:', 'postgresql:']),
    appSchema: v.optional(schemaName()),
    schema: v.optional(schemaName()),
    poolSize: v.optional(o.integer(1, 100)),
    connectTimeout: v.optional(o.integer(1, 60)),
  }),
  async create(options, context) {
    const db = openDatabase(options)
    const tables = {
      appUsers: db.sql(`${options.appSchema ?? 'public'}.app_users`),
      appClients: db.sql(`${options.appSchema ?? 'public'}.app_oauth_clients`),
      schema: options.schema ?? 'portico_app',
    }
    return {
      configuration: {
        clients: appClients(db, tables),
        resources: sideResources(db, tables.schema),
        users: appUsers(db, tables, context.logger),
      },
      async health() {
        // Reading the application's columns, not only `select 1`: a wrong appSchema or a renamed
        // column stops the start with its cause instead of failing every sign-in later.
        try {
          await db.run(
            (sql) => sql`select id, email, display_name, password_hash, disabled
                           from ${tables.appUsers} limit 0`,
          )
          await db.run(
            (sql) => sql`select client_id, name, secret_sha256, redirect_uris, scopes
                           from ${tables.appClients} limit 0`,
          )
        } catch (error) {
          throw error instanceof StoreUnavailableError
            ? error
            : new StoreUnavailableError(pluginName, { cause: error })
        }
      },
      migrate: () => migrate(db, tables.schema),
      close: () => db.close(),
    }
  },
})
