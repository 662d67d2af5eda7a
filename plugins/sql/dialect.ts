/**
 * What the shared SQL stores need from a dialect, in the spirit of drizzle's core/driver split:
 * column types for the one shared schema, the query-builder surface that pg-core and
 * sqlite-core have in common, and a driver that connects, migrates and classifies errors.
 *
 * drizzle types each dialect's builders separately, so the shared queries see them through
 * `SqlDatabase`: the subset both dialects implement with the same runtime behaviour.
 */
import type { Column, Placeholder, SQL, SQLWrapper, Table } from 'drizzle-orm'

declare const rowType: unique symbol

/** A table of the shared schema: its columns by property name, and the row it reads and writes. */
export type SqlTable<Row> = Table & { readonly [K in keyof Row]-?: Column } & { readonly [rowType]?: Row }

/** A column builder of either dialect, as far as the shared schema uses one. */
export interface ColumnBuilder {
  notNull(): ColumnBuilder
  primaryKey(): ColumnBuilder
}

/** The dialect's column types, chosen so both dialects read and write the same JS values. */
export interface SqlColumnTypes {
  table(name: string, columns: Record<string, ColumnBuilder>, indexes: (table: never) => unknown[]): Table
  text(name: string): ColumnBuilder
  /** A 32-bit count. */
  integer(name: string): ColumnBuilder
  /** Epoch milliseconds, read as a JS number. */
  epochMs(name: string): ColumnBuilder
  boolean(name: string): ColumnBuilder
  /** A JSON document (jsonb on Postgres). */
  json(name: string): ColumnBuilder
  index(name: string): { on(...columns: Column[]): unknown }
  uniqueIndex(name: string): { on(...columns: Column[]): unknown }
  primaryKey(...columns: Column[]): unknown
}

type Condition = SQL | undefined
type Settable<Row> = { [K in keyof Row]?: Row[K] | SQL | Placeholder }
/** A row to insert; a prepared insert gives its values as `sql.placeholder`s. */
type Insertable<Row> = { [K in keyof Row]: Row[K] | Placeholder }

/**
 * A query built once, its SQL text kept, run with the values of its `sql.placeholder`s: drizzle
 * builds the SQL of an unprepared query on every call. (The name is Postgres's; SQLite ignores it.)
 */
export interface Preparable<T> {
  prepare(name: string): PreparedQuery<T>
}

export interface PreparedQuery<T> {
  execute(values: Record<string, unknown>): Promise<T[]>
}

/**
 * Prepared at its first use, not when the store is made: some drivers (bun:sqlite) prepare
 * against the database at once, before the plugin has migrated its tables.
 */
export function preparedOnUse<T>(build: () => PreparedQuery<T>): PreparedQuery<T> {
  let query: PreparedQuery<T> | undefined
  return {
    execute(values) {
      query ??= build()
      return query.execute(values)
    },
  }
}

export interface SelectQuery<T> extends PromiseLike<T[]>, SQLWrapper, Preparable<T> {
  where(condition: Condition): SelectQuery<T>
  orderBy(...order: (Column | SQL)[]): SelectQuery<T>
  limit(count: number): SelectQuery<T>
}

export interface WriteQuery<Row> extends PromiseLike<unknown>, SQLWrapper {
  returning(): PromiseLike<Row[]> & Preparable<Row>
  returning<F extends Record<string, Column>>(
    fields: F,
  ): PromiseLike<Record<keyof F, unknown>[]> & Preparable<Record<keyof F, unknown>>
}

export interface InsertQuery<Row> extends WriteQuery<Row> {
  onConflictDoNothing(config?: { target?: Column | Column[] }): WriteQuery<Row>
  onConflictDoUpdate(config: {
    target: Column | Column[]
    set: Settable<Row>
    setWhere?: SQL
  }): WriteQuery<Row>
}

/** The query-builder surface shared by drizzle's Postgres and SQLite databases. */
export interface SqlDatabase {
  select(): { from<Row>(table: SqlTable<Row>): SelectQuery<Row> }
  select<F extends Record<string, Column | SQL>>(
    fields: F,
  ): { from(table: Table): SelectQuery<Record<keyof F, unknown>> }
  insert<Row>(table: SqlTable<Row>): { values(values: Insertable<Row> | Row[]): InsertQuery<Row> }
  update<Row>(table: SqlTable<Row>): {
    set(values: Settable<Row>): { where(condition: Condition): WriteQuery<Row> }
  }
  delete<Row>(table: SqlTable<Row>): { where(condition: Condition): WriteQuery<Row> }
}

/** How a driver error maps onto the store contract's errors. */
export type ErrorKind = 'conflict' | 'unavailable'
