/** The shared schema in SQLite column types; drizzle-kit reads it (drizzle.libsql.config.ts). */
import {
  index,
  integer,
  primaryKey,
  type SQLiteColumn,
  type SQLiteColumnBuilderBase,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core'
import { defineSchema } from '../sql/schema.ts'

type Columns = [SQLiteColumn, ...SQLiteColumn[]]

export const {
  clients,
  identityResources,
  apiScopes,
  apiResources,
  apiResourceScopes,
  users,
  grants,
  deviceCodes,
  sessions,
  replay,
  keys,
} = defineSchema({
  table: (name, columns, indexes) =>
    sqliteTable(name, columns as unknown as Record<string, SQLiteColumnBuilderBase>, indexes as never),
  text: (name) => text(name),
  integer: (name) => integer(name, { mode: 'number' }),
  epochMs: (name) => integer(name, { mode: 'number' }),
  boolean: (name) => integer(name, { mode: 'boolean' }),
  json: (name) => text(name, { mode: 'json' }),
  index: (name) => ({ on: (...columns) => index(name).on(...(columns as Columns)) }),
  uniqueIndex: (name) => ({ on: (...columns) => uniqueIndex(name).on(...(columns as Columns)) }),
  primaryKey: (...columns) => primaryKey({ columns: columns as Columns }),
})
