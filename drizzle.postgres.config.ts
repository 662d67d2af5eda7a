import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  schema: './plugins/postgres/schema.ts',
  out: './drizzle/postgres',
})
