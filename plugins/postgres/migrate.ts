/**
 * drizzle's Postgres migrations, serialized across instances: a session-level advisory lock
 * (keyed by schema) on a connection of its own, so instances starting together migrate one
 * after another and the later ones find nothing left to do.
 */
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import type postgres from 'postgres'

export async function migratePostgres(session: postgres.Sql, schema: string, migrationsFolder: string) {
  const lockKey = `portico:migrate:${schema}`
  await session`select pg_advisory_lock(hashtext(${lockKey}))`
  try {
    await session`create schema if not exists ${session(schema)}`
    // The migration files name tables unqualified: they land in the first schema of the path.
    await session`select set_config('search_path', ${`"${schema}"`}, false)`
    // The history lives in the same schema, so each deployment migrates on its own.
    await migrate(drizzle({ client: session }), { migrationsFolder, migrationsSchema: schema })
  } finally {
    await session`select pg_advisory_unlock(hashtext(${lockKey}))`
  }
}
