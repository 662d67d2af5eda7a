/** The shared schema in Postgres column types; drizzle-kit reads it (drizzle.postgres.config.ts). */
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  type PgColumn,
  type PgColumnBuilderBase,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { defineSchema } from '../sql/schema.ts'

type Columns = [PgColumn, ...PgColumn[]]

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
    pgTable(name, columns as unknown as Record<string, PgColumnBuilderBase>, indexes as never),
  text: (name) => text(name),
  integer: (name) => integer(name),
  epochMs: (name) => bigint(name, { mode: 'number' }),
  boolean: (name) => boolean(name),
  json: (name) => jsonb(name),
  index: (name) => ({ on: (...columns) => index(name).on(...(columns as Columns)) }),
  uniqueIndex: (name) => ({ on: (...columns) => uniqueIndex(name).on(...(columns as Columns)) }),
  primaryKey: (...columns) => primaryKey({ columns: columns as Columns }),
})
