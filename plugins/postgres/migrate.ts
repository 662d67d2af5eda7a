/**
 * drizzle's Postgres migrations, serialized across instances: a session-level advisory lock
 * (keyed by schema) on a connection of its own, so instances starting together migrate one
 * after another and the later ones find nothing left to do.
 */
import { type MigrationMeta, readMigrationFiles } from 'drizzle-orm/migrator'
import { PgDialect, type PgSession } from 'drizzle-orm/pg-core'
import { drizzle } from 'drizzle-orm/postgres-js'
import type postgres from 'postgres'

/** A drizzle-kit migrations folder, or its migrations already read (the single binary has no folder). */
export type Migrations = string | readonly MigrationMeta[]

export async function migratePostgres(session: postgres.Sql, schema: string, source: Migrations) {
  const migrations = typeof source === 'string' ? readMigrationFiles({ migrationsFolder: source }) : source
  const lockKey = `portico:migrate:${schema}`
  await session`select pg_advisory_lock(hashtext(${lockKey}))`
  try {
    await session`create schema if not exists ${session(schema)}`
    // The migration files name tables unqualified: they land in the first schema of the path.
    await session`select set_config('search_path', ${`"${schema}"`}, false)`
    // The history lives in the same schema, so each deployment migrates on its own. This is
    // drizzle-orm/postgres-js/migrator's migrate() minus its folder read: the same dialect step.
    // (drizzle's session type is generic over the schema; the dialect's parameter is not.)
    const { session: drizzleSession } = drizzle({ client: session })._
    await new PgDialect().migrate([...migrations], drizzleSession as unknown as PgSession, {
      migrationsFolder: '',
      migrationsSchema: schema,
    })
  } finally {
    await session`select pg_advisory_unlock(hashtext(${lockKey}))`
  }
}
