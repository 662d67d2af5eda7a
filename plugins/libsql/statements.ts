/**
 * A connection to an embedded libSQL file that keeps each statement prepared, for the stores'
 * hot lookups (drizzle prepared queries: a grant by key, a client by id, the replay cache's add).
 *
 * `@libsql/client` prepares every statement anew, reads its column metadata twice and builds
 * each row with one `defineProperty` per cell; for a grant (ten columns) that was about half of
 * an introspection's store time (docs/performance.md, round two). Here a statement is prepared
 * once per SQL text and its rows are the driver's own arrays, which is all drizzle reads when it
 * maps the selected fields by position. Anything else (batches, transactions, migrations, rows
 * read by column name) stays on `@libsql/client`.
 *
 * Values cross the boundary as `@libsql/client` passes them (`intMode: "number"`): booleans as
 * 0/1, integers read back as numbers or a RangeError beyond 2^53, SQLite errors as LibsqlError
 * with the same codes, so the plugin's error mapping holds.
 */
import { LibsqlError } from '@libsql/client'
import Database from 'libsql'

/** The part of `@libsql/client`'s Client that drizzle's prepared queries call. */
export interface StatementClient {
  execute(statement: { sql: string; args: unknown[] }): Promise<Result>
  close(): void
}

interface Result {
  columns: string[]
  columnTypes: string[]
  rows: unknown[][]
  rowsAffected: number
  lastInsertRowid: bigint | undefined
}

interface Prepared {
  statement: Database.Statement
  /** Whether it returns rows (a select, or a write with RETURNING). */
  reader: boolean
  columns: string[]
}

/** Ample for the prepared lookups and the few shapes of the list lookups; a bound against misuse. */
const maxStatements = 256

export function statementClient(path: string, options: { timeout: number }): StatementClient {
  let db: Database.Database | undefined
  let closed = false
  const statements = new Map<string, Prepared>()

  function prepare(sql: string): Prepared {
    // Opened at the first statement, after the server's migration has set WAL on the file.
    db ??= new Database(path, { timeout: options.timeout })
    const statement = db.prepare(sql)
    statement.safeIntegers(true)
    let reader = true
    try {
      statement.raw(true)
    } catch {
      // raw() refuses a statement that returns no rows.
      reader = false
    }
    const columns = reader ? statement.columns().map((column) => column.name) : []
    if (statements.size >= maxStatements) statements.delete(statements.keys().next().value!)
    const prepared = { statement, reader, columns }
    statements.set(sql, prepared)
    return prepared
  }

  return {
    async execute({ sql, args }) {
      if (closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED')
      try {
        const { statement, reader, columns } = statements.get(sql) ?? prepare(sql)
        const values = args.map(toSql)
        if (!reader) {
          const info = statement.run(values)
          return {
            columns,
            columnTypes: [],
            rows: [],
            rowsAffected: info.changes,
            lastInsertRowid: BigInt(info.lastInsertRowid),
          }
        }
        const rows = statement.all(values) as unknown as unknown[][]
        for (const row of rows) {
          for (let i = 0; i < row.length; i++) {
            if (typeof row[i] === 'bigint') row[i] = toNumber(row[i] as bigint)
          }
        }
        return { columns, columnTypes: [], rows, rowsAffected: 0, lastInsertRowid: undefined }
      } catch (error) {
        throw fromSqlite(error)
      }
    },
    close() {
      closed = true
      statements.clear()
      db?.close()
      db = undefined
    },
  }
}

function toSql(value: unknown): unknown {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) {
        throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments')
      }
      return value
    case 'boolean':
      return value ? 1 : 0
    case 'undefined':
      throw new TypeError('undefined cannot be passed as argument to the database')
    default:
      if (value instanceof ArrayBuffer) return Buffer.from(value)
      if (value instanceof Date) return value.valueOf()
      return value
  }
}

function toNumber(value: bigint): number {
  if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError('Received integer which cannot be safely represented as a JavaScript number')
  }
  return Number(value)
}

/** As `@libsql/client` reports it: the base code, the extended code and the raw number. */
function fromSqlite(error: unknown): unknown {
  if (!(error instanceof Database.SqliteError)) return error
  const rawCode = (error as { rawCode?: number }).rawCode
  const base =
    rawCode === undefined
      ? 'SQLITE_UNKNOWN'
      : (baseCodes[rawCode & 0xff] ?? `SQLITE_UNKNOWN_${rawCode & 0xff}`)
  return new LibsqlError(error.message, base, error.code, rawCode, error)
}

const baseCodes: Record<number, string> = {
  1: 'SQLITE_ERROR',
  2: 'SQLITE_INTERNAL',
  3: 'SQLITE_PERM',
  4: 'SQLITE_ABORT',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  9: 'SQLITE_INTERRUPT',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  12: 'SQLITE_NOTFOUND',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  15: 'SQLITE_PROTOCOL',
  16: 'SQLITE_EMPTY',
  17: 'SQLITE_SCHEMA',
  18: 'SQLITE_TOOBIG',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE',
  22: 'SQLITE_NOLFS',
  23: 'SQLITE_AUTH',
  24: 'SQLITE_FORMAT',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
  27: 'SQLITE_NOTICE',
  28: 'SQLITE_WARNING',
}
