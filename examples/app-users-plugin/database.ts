/**
 * The plugin's connection pool, and the rule every query goes through: a closed instance or a
 * database that cannot answer is `StoreUnavailableError` (Portico answers 503 and never takes it
 * for "no such user"), a broken uniqueness rule is `StoreConflictError`, anything else is a bug
 * and surfaces as it is.
 */
import { StoreConflictError, StoreUnavailableError } from 'portico'
import postgres from 'postgres'

export const pluginName = 'app-users'

/** Socket errors and postgres.js's own connection errors. */
const unreachable = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
])
/** SQLSTATEs meaning "not now": connection exceptions, insufficient resources, shutdown. */
const notNow = /^(08|53|57P0[1-3])/

export interface Database {
  /** For building identifiers (`db.sql('schema.table')`); run queries through `run`. */
  sql: postgres.Sql
  run<T>(query: (sql: postgres.Sql) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export function openDatabase(options: { url: string; poolSize?: number; connectTimeout?: number }): Database {
  const sql = postgres(options.url, {
    max: options.poolSize ?? 5,
    connect_timeout: options.connectTimeout ?? 5,
    connection: { application_name: 'portico-app-users' },
    onnotice: () => {},
    // Fail fast while the database is down instead of queueing queries behind a growing backoff.
    backoff: () => 0,
  })
  let closed = false
  return {
    sql,
    async run(query) {
      if (closed) throw new StoreUnavailableError(pluginName, { cause: new Error('the instance is closed') })
      try {
        return await query(sql)
      } catch (error) {
        throw translate(error)
      }
    },
    async close() {
      if (closed) return
      closed = true
      await sql.end({ timeout: 1 })
    },
  }
}

function translate(error: unknown): unknown {
  const codes = error instanceof AggregateError ? error.errors.map(codeOf) : [codeOf(error)]
  if (codes.some((code) => unreachable.has(code) || notNow.test(code))) {
    return new StoreUnavailableError(pluginName, { cause: error })
  }
  if (codes.includes('23505')) return new StoreConflictError('the username is taken', { cause: error })
  return error
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : ''
}
