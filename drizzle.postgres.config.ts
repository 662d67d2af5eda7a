/**
 * drizzle-kit for the postgres migrations. The schema is defined once (plugins/sql/schema.ts); after
 * changing it, generate a migration for BOTH dialects and commit them:
 *   bunx drizzle-kit generate --config drizzle.postgres.config.ts --name <what-changed>
 *   bunx drizzle-kit generate --config drizzle.libsql.config.ts --name <what-changed>
 */
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  schema: './plugins/postgres/schema.ts',
  out: './drizzle/postgres',
})
