import type { ErrorKind } from '../sql/dialect.ts'

/**
 * SQLSTATE classes and codes meaning "the database cannot serve us right now", rollbacks that
 * ask for a retry included: a deadlock (two removeAll over overlapping rows) or a serialization
 * failure rolls the statement back whole, so the client may simply try again later (503).
 */
const unavailableStates = /^(08|28|3D|53|57P0[1-3]|40001|40P01)/
/** Socket errors and postgres.js's own connection errors. */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ConnectionRefused',
  'ConnectionClosed',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
])

export function classifyPostgresError(error: unknown): ErrorKind | undefined {
  if (error instanceof AggregateError) {
    return error.errors.some((e) => classifyPostgresError(e) === 'unavailable') ? 'unavailable' : undefined
  }
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return undefined
  if (code === '23505') return 'conflict' // unique_violation
  if (unavailableCodes.has(code) || (/^[0-9A-Z]{5}$/.test(code) && unavailableStates.test(code))) {
    return 'unavailable'
  }
  return undefined
}
