import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'turso',
  schema: './plugins/libsql/schema.ts',
  out: './drizzle/libsql',
})
