/**
 * The Postgres driver: postgres.js under drizzle, every table in the configured schema through
 * `search_path`.
 */
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import type { SqlDatabase } from '../sql/dialect.ts'
import type { SqlDriver } from '../sql/instance.ts'
import { classifyPostgresError } from './errors.ts'
import { migratePostgres } from './migrate.ts'
import { migrations } from './migrations.ts'
import type { normalizeOptions } from './options.ts'
import * as tables from './schema.ts'

type Options = ReturnType<typeof normalizeOptions>

export function connect(options: Options, max: number) {
  return postgres(options.url, {
    max,
    ssl: options.ssl,
    connect_timeout: options.connectTimeout,
    // The schema is fixed per connection, so the shared queries name tables unqualified.
    connection: { search_path: `"${options.schema}"`, application_name: options.applicationName },
    onnotice: () => {},
    // postgres.js retries a lost server with a growing backoff (up to 20 s per attempt) and holds
    // queued queries meanwhile. A store must fail fast instead: each query that finds the
    // server gone is rejected (503 to the client), and the next one simply connects again.
    backoff: () => 0,
  })
}

export function postgresDriver(options: Options): SqlDriver {
  const client = connect(options, options.poolSize)
  const db = drizzle({ client })
  return {
    name: 'postgres',
    db: db as unknown as SqlDatabase,
    tables,
    purgeLock: sql` for update skip locked`,
    purgeRowId: sql`ctid`,
    byCodePoint: sql` collate "C"`,
    async atomic(writes) {
      await db.transaction(async (tx) => {
        for (const write of writes) await tx.execute(write)
      })
    },
    classify: classifyPostgresError,
    async ping() {
      await client`select 1`
    },
    async migrate() {
      const session = connect(options, 1)
      try {
        await migratePostgres(session, options.schema, migrations())
      } finally {
        await session.end({ timeout: 5 })
      }
    },
    async close() {
      // Queries still running get a second, then their connections are cut (a connection left
      // mid-reconnect by an outage would otherwise hold `end()` for its whole timeout).
      await client.end({ timeout: 1 })
    },
  }
}
