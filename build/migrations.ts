/**
 * A Bun build plugin that inlines the SQL plugins' migrations. At run time
 * plugins/{libsql,postgres}/migrations.ts read drizzle-kit's folder (drizzle/<dialect>/), which
 * a single binary does not have; the build reads it with the same function, once, and puts the
 * list (statements, hash, timestamp: what drizzle's migrator applies and records) in the module's
 * place.
 */
import type { BunPlugin } from 'bun'
import type { MigrationMeta } from 'drizzle-orm/migrator'

export function inlineMigrations(): BunPlugin {
  return {
    name: 'inline-migrations',
    setup(build) {
      build.onLoad({ filter: /[\\/]plugins[\\/](libsql|postgres)[\\/]migrations\.ts$/ }, async ({ path }) => {
        const module = (await import(path)) as { migrations(): MigrationMeta[] }
        const list = module.migrations()
        if (list.length === 0) throw new Error(`${path}: no migrations found`)
        return {
          contents: `export function migrations() {\n  return ${JSON.stringify(list)}\n}\n`,
          loader: 'js',
        }
      })
    },
  }
}
