/**
 * drizzle's libSQL migrations (same files, same `__drizzle_migrations` bookkeeping) applied in
 * ONE write transaction: `BEGIN IMMEDIATE` takes SQLite's write lock before reading which
 * migrations are applied, so processes migrating one file at once go one after another.
 * Within a process they queue here instead: an embedded database waits for a lock on the JS
 * thread, so two connections of one process would wait on each other until the busy timeout.
 */
import type { Client } from '@libsql/client'
import { type MigrationMeta, readMigrationFiles } from 'drizzle-orm/migrator'

/** A drizzle-kit migrations folder, or its migrations already read (the single binary has no folder). */
export type Migrations = string | readonly MigrationMeta[]

const table = '"__drizzle_migrations"'
const queues = new Map<string, Promise<unknown>>()

export function migrateLibsql(client: Client, url: string, source: Migrations): Promise<void> {
  const previous = queues.get(url) ?? Promise.resolve()
  const next = previous.catch(() => {}).then(() => apply(client, source))
  queues.set(url, next)
  void next
    .finally(() => {
      if (queues.get(url) === next) queues.delete(url)
    })
    .catch(() => {})
  return next
}

async function apply(client: Client, source: Migrations): Promise<void> {
  const migrations = typeof source === 'string' ? readMigrationFiles({ migrationsFolder: source }) : source
  const tx = await client.transaction('write')
  try {
    await tx.execute(
      `create table if not exists ${table} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
    )
    const { rows } = await tx.execute(`select created_at from ${table} order by created_at desc limit 1`)
    const applied = rows.length > 0 ? Number(rows[0]!.created_at) : Number.NEGATIVE_INFINITY
    for (const migration of migrations) {
      if (migration.folderMillis <= applied) continue
      for (const statement of migration.sql) {
        if (statement.trim() !== '') await tx.execute(statement)
      }
      await tx.execute({
        sql: `insert into ${table} (hash, created_at) values (?, ?)`,
        args: [migration.hash, migration.folderMillis],
      })
    }
    await tx.commit()
  } finally {
    tx.close()
  }
}
