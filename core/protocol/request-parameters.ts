/**
 * The parameters of a form-encoded protocol request (token, introspection, revocation),
 * with the rules RFC 6749 puts on them enforced at the point of reading.
 */
import { identifierMaxLength, identifierTooLong } from '../models/identifier.ts'
import { OAuthError } from './errors.ts'

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** Characters one value may have: room for a large client assertion, not for abuse. */
export const maxParameterLength = 16 * 1024

const malformedEscape = /%(?![0-9A-Fa-f]{2})/
/**
 * RFC 6749 Appendix A admits no control characters in any parameter; U+FFFD is what a decoder
 * leaves of bytes that were not UTF-8.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const forbiddenCharacter = /[\x00-\x1F\x7F\uFFFD]/

/**
 * Refuses an identifier (client_id, a scope name, a username) longer than any Portico stores,
 * before it reaches a store: such a value names nothing, and some backends fail on it.
 */
export function requireIdentifierLength(name: string, value: string): void {
  if (identifierTooLong(value)) {
    throw new OAuthError('invalid_request', `${name} is longer than ${identifierMaxLength} characters`)
  }
}

export class RequestParameters {
  private constructor(private readonly values: ReadonlyMap<string, string[]>) {}

  /**
   * Decodes an `application/x-www-form-urlencoded` body. Bytes that are not UTF-8 (raw or
   * %-encoded), malformed escapes, control characters and oversized values are refused.
   */
  static fromForm(body: Uint8Array | ArrayBuffer | string): RequestParameters {
    let text: string
    try {
      text = typeof body === 'string' ? body : strictUtf8.decode(body)
    } catch {
      throw new OAuthError('invalid_request', 'the request body is not valid UTF-8')
    }
    // URLSearchParams would keep a stray `%` literally; a well-formed body never has one.
    if (malformedEscape.test(text)) {
      throw new OAuthError('invalid_request', 'the body has a malformed %-escape')
    }
    const values = new Map<string, string[]>()
    for (const [name, value] of new URLSearchParams(text)) {
      if (forbiddenCharacter.test(name) || forbiddenCharacter.test(value)) {
        throw new OAuthError('invalid_request', 'a parameter is not valid UTF-8 or holds a control character')
      }
      if (name.length > 256 || value.length > maxParameterLength) {
        throw new OAuthError('invalid_request', 'a parameter exceeds its maximum length')
      }
      const existing = values.get(name)
      if (existing) existing.push(value)
      else values.set(name, [value])
    }
    return new RequestParameters(values)
  }

  static fromEntries(entries: Record<string, string>): RequestParameters {
    return new RequestParameters(new Map(Object.entries(entries).map(([name, value]) => [name, [value]])))
  }

  /**
   * The single value of `name`, or undefined. RFC 6749 §3.1: a parameter sent without a value
   * is treated as omitted, and none may be sent more than once.
   */
  get(name: string): string | undefined {
    const all = this.values.get(name)
    if (all === undefined) return undefined
    if (all.length > 1) throw new OAuthError('invalid_request', `the ${name} parameter is repeated`)
    return all[0] || undefined
  }

  /** As `get`, but a missing parameter is an `invalid_request`. */
  require(name: string): string {
    const value = this.get(name)
    if (value === undefined) throw new OAuthError('invalid_request', `the ${name} parameter is missing`)
    return value
  }

  /** Every non-empty value of a parameter that may repeat (RFC 8707 `resource`). */
  getAll(name: string): string[] {
    return this.values.get(name)?.filter((value) => value !== '') ?? []
  }

  has(name: string): boolean {
    return this.get(name) !== undefined
  }
}
