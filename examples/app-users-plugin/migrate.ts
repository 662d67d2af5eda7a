/**
 * The plugin's own tables, in its own schema; the application's tables are never touched.
 * `create … if not exists` under a transaction-scoped advisory lock, so instances starting
 * together migrate one after another and the later ones find nothing to do.
 */
import type { Database } from './database.ts'

export async function migrate(db: Database, schema: string): Promise<void> {
  const table = (name: string) => db.sql(`${schema}.${name}`)
  await db.run((sql) =>
    sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext(${`portico-app-users:${schema}`}))`
      await tx`create schema if not exists ${tx(schema)}`
      // Clients and resources Portico owns, whole, as JSON (records.ts).
      await tx`create table if not exists ${table('records')} (
        kind text not null,
        key text not null,
        record jsonb not null,
        primary key (kind, key))`
      // Users Portico adds itself (the admin CLI, a seed); usernames unique as JavaScript lower-cases them.
      await tx`create table if not exists ${table('users')} (
        subject_id text primary key,
        username_lower text not null unique,
        record jsonb not null)`
      // Failed-login bookkeeping of every user, the application's included: app_users has no column for it.
      await tx`create table if not exists ${table('lockouts')} (
        subject_id text primary key,
        failed_count integer not null,
        locked_until bigint)`
    }),
  )
}
