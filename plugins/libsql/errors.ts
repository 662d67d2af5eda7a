import type { ErrorKind } from '../sql/dialect.ts'

/** SQLite result codes meaning "the database cannot serve us right now" (a closed client included). */
const unavailableCodes =
  /^(SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|PROTOCOL|NOTADB)|HRANA_|SERVER_ERROR|CLIENT_CLOSED|ECONN|ETIMEDOUT|ENOTFOUND|ConnectionRefused)/

export function classifyLibsqlError(error: unknown): ErrorKind | undefined {
  const { code, extendedCode, message } = (error ?? {}) as {
    code?: unknown
    extendedCode?: unknown
    message?: unknown
  }
  if (code === 'SQLITE_CONSTRAINT') {
    const unique =
      extendedCode === undefined
        ? typeof message === 'string' && /UNIQUE|PRIMARY KEY/.test(message)
        : extendedCode === 'SQLITE_CONSTRAINT_UNIQUE' || extendedCode === 'SQLITE_CONSTRAINT_PRIMARYKEY'
    return unique ? 'conflict' : undefined
  }
  if (typeof code === 'string' && unavailableCodes.test(code)) return 'unavailable'
  return undefined
}
