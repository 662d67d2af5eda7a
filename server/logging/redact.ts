/**
 * The last line of defence between a log call and the output: no password, secret, token,
 * code, assertion, cookie or Authorization value may reach a log line, even when a caller
 * passes one by mistake. Field names are matched first; string values are then scrubbed of
 * shapes that carry credentials wherever they appear (headers, URLs, JWTs, form bodies).
 */

export const REDACTED = '[redacted]'

/** Field names are compared lower-cased with `_`, `-` and `.` removed. */
const secretNameParts = [
  'password',
  'passwd',
  'secret',
  'token',
  'assertion',
  'cookie',
  'authorization',
  'credential',
  'apikey',
  'privatekey',
  'passphrase',
  'otp',
]
/** Names ending in `code` are codes (authorization, device, user codes) except these. */
const harmlessCodes = new Set(['statuscode', 'errorcode', 'httpcode', 'exitcode'])

/** Field names repeat on every line: each is classified once (bounded, as names can come from data). */
const secretFieldCache = new Map<string, boolean>()

export function isSecretField(name: string): boolean {
  let secret = secretFieldCache.get(name)
  if (secret === undefined) {
    secret = classifyField(name)
    if (secretFieldCache.size < 1000) secretFieldCache.set(name, secret)
  }
  return secret
}

function classifyField(name: string): boolean {
  const n = name.toLowerCase().replace(/[-_.]/g, '')
  if (n === 'code' || (n.endsWith('code') && !harmlessCodes.has(n))) return true
  if (n === 'jwt' || n === 'dpop' || n === 'setcookie' || n === 'key' || n === 'keysecret') return true
  return secretNameParts.some((part) => n.includes(part))
}

const valueScrubbers: [RegExp, string][] = [
  // Authorization header values: RFC 6750 §2.1 Bearer, RFC 7617 Basic, RFC 9449 DPoP.
  [/\b(Bearer|Basic|DPoP|Digest|Negotiate)\s+[^\s,;"']+/gi, `$1 ${REDACTED}`],
  // A JWS/JWE compact serialization (id tokens, access tokens, client assertions).
  [/\beyJ[\w-]*\.[\w-]*\.[\w-]*(\.[\w-]*\.[\w-]*)?/g, REDACTED],
  // Credentials inside a URL: scheme://user:password@host.
  [/(\b[a-z][\w+.-]*:\/\/[^:/?#\s@]*):[^@/?#\s]*@/gi, `$1:${REDACTED}@`],
  // Query strings and form bodies: code=…, client_secret=…, password=… (RFC 6749 §4.1.2, §2.3.1).
  [
    /\b([\w-]*(?:code|token|secret|password|passwd|assertion|cookie|verifier|otp)[\w-]*)=([^&\s;"']+)/gi,
    `$1=${REDACTED}`,
  ],
  // "password": "…" inside serialized JSON that was logged as a string.
  [
    /("[\w-]*(?:password|secret|token|code|assertion|cookie|authorization)[\w-]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${REDACTED}"`,
  ],
]

/** Every scrubber above needs one of these; a string with none (most log values) is kept as it is. */
const mayCarryCredential = /[\s=:"]|eyJ/

export function scrubString(value: string): string {
  if (!mayCarryCredential.test(value)) return value
  let out = value
  for (const [pattern, replacement] of valueScrubbers) out = out.replace(pattern, replacement)
  return out
}

/** A deep copy of `value` that is safe to log. Errors become `{ name, message, code?, stack? }`. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[nested]'
  if (typeof value === 'string') return scrubString(value)
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : value
  }
  if (value instanceof Error) return redactError(value, depth)
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1))
  if (value instanceof Headers) return redactEntries([...value.entries()], depth)
  if (value instanceof URL) return scrubString(value.href)
  return redactEntries(Object.entries(value), depth)
}

function redactEntries(entries: [string, unknown][], depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, item] of entries) out[key] = redactField(key, item, depth)
  return out
}

/**
 * Copies `fields` into `target` as `redact` would (same rules, same key order), without the
 * intermediate objects: a log line is then built in one pass.
 */
export function redactFieldsInto(target: Record<string, unknown>, fields: Record<string, unknown>): void {
  for (const key of Object.keys(fields)) target[key] = redactField(key, fields[key], 0)
}

function redactField(key: string, item: unknown, depth: number): unknown {
  const secret = isSecretField(key) && item !== undefined && item !== null && !isErrorCode(key, item)
  return secret ? REDACTED : redact(item, depth + 1)
}

/** `code: 'ECONNREFUSED'` or `'ERR_STORE_UNAVAILABLE'` names an error, not an authorization code. */
function isErrorCode(key: string, value: unknown): boolean {
  return key === 'code' && typeof value === 'string' && /^(E[A-Z0-9_]+|ERR_[A-Z0-9_]+)$/.test(value)
}

function redactError(error: Error, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: scrubString(error.message) }
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' || typeof code === 'number') out.code = code
  if (error.stack) out.stack = scrubString(error.stack)
  if (error.cause !== undefined && depth < 4) out.cause = redact(error.cause, depth + 1)
  return out
}
