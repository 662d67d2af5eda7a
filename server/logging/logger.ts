/**
 * The server's Logger: one JSON object per line, with `time`, `level` and `event` first.
 * Every field passes through `redact`, so a mistaken `logger.info('x', { password })` never
 * reaches the output.
 */
import type { LogFields, Logger, LogLevel } from '../../core/logger.ts'
import { redact, redactFieldsInto } from './redact.ts'

export const logLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface LoggerOptions {
  level: LogLevel
  /** Receives each finished line (without the newline). Defaults to stdout. */
  write?: (line: string) => void
  fields?: LogFields
  now?: () => number
}

const writeStdout = (line: string) => {
  process.stdout.write(`${line}\n`)
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? writeStdout
  const now = options.now ?? Date.now
  const threshold = rank[options.level]

  // Lines come in bursts: the timestamp is formatted once per millisecond.
  let stampedAt = Number.NaN
  let stamp = ''
  const time = () => {
    const at = now()
    if (at !== stampedAt) {
      stampedAt = at
      stamp = new Date(at).toISOString()
    }
    return stamp
  }

  const build = (base: LogFields): Logger => {
    const emit = (level: LogLevel, event: string, fields?: LogFields) => {
      if (rank[level] < threshold) return
      // Built in one pass; a field named like a header member wins, as it always has.
      const line: LogFields = { time: time(), level, event: String(redact(event)) }
      redactFieldsInto(line, base)
      if (fields) redactFieldsInto(line, fields)
      write(safeStringify(line))
    }
    return {
      debug: (event, fields) => emit('debug', event, fields),
      info: (event, fields) => emit('info', event, fields),
      warn: (event, fields) => emit('warn', event, fields),
      error: (event, fields) => emit('error', event, fields),
      child: (fields) => build({ ...base, ...fields }),
    }
  }
  return build(options.fields ?? {})
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value)
  } catch {
    return JSON.stringify({ event: 'log.unserializable' })
  }
}
