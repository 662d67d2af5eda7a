/**
 * Why a store could not be opened, told in one line an operator can act on
 * (`connection refused`), never with a password from the store's options.
 */
import { isStoreUnavailable } from '../../core/stores/errors.ts'
import { scrubString } from '../logging/redact.ts'

/** Why a store failed, in operator terms and without credentials. */
export function reason(error: unknown, options: Record<string, unknown>): string {
  const known = knownReason(error)
  if (known) return known
  // A plugin's StoreUnavailableError only says which store; its cause says why.
  const cause = isStoreUnavailable(error) && error.cause !== undefined ? error.cause : error
  let text = firstLine(cause)
  for (const secret of credentials(options)) text = text.split(secret).join('***')
  return text
}

/**
 * The common reasons, which say nothing about the infrastructure: `connection refused`,
 * `host not found`, `timed out after 1000 ms`. Undefined for anything else.
 */
export function knownReason(error: unknown): string | undefined {
  if (error instanceof TimeoutError) return `timed out after ${error.ms} ms`
  const code = findCode(error)
  if (code === 'ECONNREFUSED' || code === 'ConnectionRefused') return 'connection refused'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found'
  if (code === 'ETIMEDOUT') return 'timed out'
  return undefined
}

function findCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    // System error codes (ECONNREFUSED, EAI_AGAIN), not Portico's own ERR_* codes.
    if (typeof code === 'string' && /^(E[A-Z_]+|ConnectionRefused)$/.test(code) && !code.startsWith('ERR_')) {
      return code
    }
    if (current instanceof AggregateError && current.errors.length) current = current.errors[0]
    else current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** Passwords found in the options (`password` fields, URL user-info), to blank out of messages. */
function credentials(options: Record<string, unknown>): string[] {
  const found: string[] = []
  for (const [key, value] of Object.entries(options)) {
    if (typeof value !== 'string' || !value) continue
    if (/pass|secret|token|key/i.test(key)) found.push(value)
    if (URL.canParse(value)) {
      const url = new URL(value)
      if (url.password) found.push(url.password, decodeURIComponent(url.password))
    }
  }
  return found.filter((value) => value.length >= 3)
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return scrubString(message.split('\n')[0]?.trim() || (error as Error)?.name || 'unknown error')
}

class TimeoutError extends Error {
  readonly code = 'ERR_STORE_TIMEOUT'
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`)
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
