/**
 * RFC 8628 §6.1 user codes: 8 characters from the base-20 alphabet of consonants (no vowels,
 * so no words; no look-alike digits), shown as XXXX-XXXX. 20^8 ≈ 2.6 × 10^10 codes: with the
 * entry throttle, guessing a live one within its lifetime is out of reach (§5.1).
 */
import { randomInt } from 'node:crypto'

export const userCodeAlphabet = 'BCDFGHJKLMNPQRSTVWXZ'
const length = 8

/** A new user code in its stored form (8 characters, no dash). */
export function createUserCode(): string {
  let code = ''
  // randomInt draws without modulo bias.
  for (let i = 0; i < length; i++) code += userCodeAlphabet[randomInt(userCodeAlphabet.length)]
  return code
}

/** XXXX-XXXX, as shown to the user. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

/**
 * What the user typed, in stored form: case-insensitive, dashes and spaces ignored (§6.1);
 * undefined when it cannot be a user code at all.
 */
export function normalizeUserCode(input: string | undefined): string | undefined {
  if (!input || input.length > 32) return undefined
  const code = input.toUpperCase().replace(/[\s-]/g, '')
  if (code.length !== length) return undefined
  for (const character of code) if (!userCodeAlphabet.includes(character)) return undefined
  return code
}
