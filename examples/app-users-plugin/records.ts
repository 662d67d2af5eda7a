/**
 * Records Portico owns, one JSON row each in the plugin's `records` table, by kind and key: the
 * identity and API resources, and the clients the application does not have. Every field of the
 * model round-trips; `jsonb` parses to a fresh object on every read, so callers get copies.
 */
import type postgres from 'postgres'
import type { Database } from './database.ts'

export type RecordKind = 'client' | 'identity_resource' | 'api_scope' | 'api_resource'

export function jsonRecords<T extends object>(db: Database, schema: string, kind: RecordKind) {
  const t = db.sql(`${schema}.records`)
  return {
    async find(keys: readonly string[]): Promise<T[]> {
      // A key holding U+0000 cannot be stored, so it finds nothing (and never reaches Postgres).
      const wanted = [...new Set(keys)].filter((key) => !key.includes('\0'))
      if (wanted.length === 0) return []
      const rows = await db.run(
        (sql) => sql`select record from ${t} where kind = ${kind} and key in ${sql(wanted)}`,
      )
      return rows.map((row) => row.record as T)
    },
    async all(): Promise<T[]> {
      const rows = await db.run((sql) => sql`select record from ${t} where kind = ${kind}`)
      return rows.map((row) => row.record as T)
    },
    /** Records whose `record.scopes` array holds one of `scopes` (API resources). */
    async withAnyScope(scopes: readonly string[]): Promise<T[]> {
      const wanted = scopes.filter((scope) => !scope.includes('\0'))
      if (wanted.length === 0) return []
      const rows = await db.run(
        (sql) =>
          sql`select record from ${t} where kind = ${kind} and record->'scopes' ?| ${sql.array(wanted)}::text[]`,
      )
      return rows.map((row) => row.record as T)
    },
    async put(key: string, record: T): Promise<void> {
      const json = storable(record)
      await db.run(
        (sql) => sql`insert into ${t} (kind, key, record) values (${kind}, ${key}, ${sql.json(json)})
                     on conflict (kind, key) do update set record = excluded.record`,
      )
    },
    async remove(key: string): Promise<boolean> {
      if (key.includes('\0')) return false
      const rows = await db.run(
        (sql) => sql`delete from ${t} where kind = ${kind} and key = ${key} returning key`,
      )
      return rows.length > 0
    },
  }
}

/**
 * Postgres text cannot hold U+0000 (and jsonb refuses its escape): a write holding one is
 * refused whole rather than stored cut short (the store contract's rule 4).
 */
export function storable(record: object): postgres.JSONValue {
  if (JSON.stringify(record).includes('\\u0000')) {
    throw new TypeError('app-users: Postgres cannot store U+0000 in text')
  }
  return record as postgres.JSONValue
}
