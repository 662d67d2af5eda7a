/**
 * The Postgres schema's migrations, as drizzle-kit wrote them to drizzle/postgres and drizzle's
 * migrator reads them. The single binary has no such folder: its build (build/migrations.ts)
 * replaces this module with the same list, read at build time and inlined.
 */
import { fileURLToPath } from 'node:url'
import { type MigrationMeta, readMigrationFiles } from 'drizzle-orm/migrator'

export function migrations(): MigrationMeta[] {
  return readMigrationFiles({
    migrationsFolder: fileURLToPath(new URL('../../drizzle/postgres', import.meta.url)),
  })
}
