/**
 * The Postgres driver: postgres.js under drizzle, every table in the configured schema through
 * `search_path`, migrations serialized across instances by an advisory lock.
 */
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import type { SqlDatabase } from '../sql/dialect.ts'
import type { SqlDriver } from '../sql/instance.ts'
import { classifyPostgresError } from './errors.ts'
import type { normalizeOptions } from './options.ts'
import * as tables from './schema.ts'

const migrationsFolder = fileURLToPath(new URL('../../drizzle/postgres', import.meta.url))

type Options = ReturnType<typeof normalizeOptions>

function connect(options: Options, max: number) {
  return postgres(options.url, {
    max,
    ssl: options.ssl,
    connect_timeout: options.connectTimeout,
    // The schema is fixed per connection, so the shared queries name tables unqualified.
    connection: { search_path: `"${options.schema}"`, application_name: 'portico' },
    onnotice: () => {},
  })
}

export function postgresDriver(options: Options): SqlDriver {
  const client = connect(options, options.poolSize)
  return {
    name: 'postgres',
    db: drizzle({ client }) as unknown as SqlDatabase,
    tables,
    purgeLock: sql` for update skip locked`,
    classify: classifyPostgresError,
    async ping() {
      await client`select 1`
    },
    async migrate() {
      // A session-level advisory lock on a connection of its own: instances starting together
      // migrate one after another, and the later ones find nothing left to do.
      const session = connect(options, 1)
      const lockKey = `portico:migrate:${options.schema}`
      try {
        await session`select pg_advisory_lock(hashtext(${lockKey}))`
        await session`create schema if not exists ${session(options.schema)}`
        await migrate(drizzle({ client: session }), { migrationsFolder, migrationsSchema: options.schema })
        await session`select pg_advisory_unlock(hashtext(${lockKey}))`
      } finally {
        await session.end({ timeout: 5 })
      }
    },
    async close() {
      await client.end({ timeout: 5 })
    },
  }
}
