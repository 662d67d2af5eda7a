/**
 * PORTICO_KEY_SECRET, the root of the key ring's at-rest encryption. The at-rest key is derived
 * with HKDF-SHA-256 (core/keys/at-rest.ts), which adds no work factor: a guessable secret could
 * be tried offline against a stolen keys table. So the secret must be random key material,
 * 32 bytes or more (as `keys new-secret` prints), never a passphrase. Production refuses any
 * other; development warns.
 */
import { randomBytes } from 'node:crypto'

/** Bytes of randomness a key secret carries at least. */
export const keySecretMinBytes = 32

/** The rule as operators read it, the same in every message and in the README. */
export const keySecretRule = `must be ${keySecretMinBytes} random bytes or more, written in base64, base64url or hex (\`portico keys new-secret\` prints one)`

/** A new key secret: 32 random bytes, base64url. */
export function newKeySecret(): string {
  return randomBytes(keySecretMinBytes).toString('base64url')
}

/**
 * Whether `secret` reads as random key material: enough bytes once decoded, and as many
 * distinct characters as random text of its alphabet shows (random base64 of 43 characters
 * has about 31; a passphrase of letters and dashes, about 15). A heuristic that rejects
 * passphrases; it cannot prove randomness.
 */
export function looksLikeKeyMaterial(secret: string): boolean {
  const distinct = new Set(secret).size
  if (/^[0-9a-fA-F]+$/.test(secret)) return secret.length >= keySecretMinBytes * 2 && distinct >= 10
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(secret)) return false
  return Buffer.from(secret, 'base64').length >= keySecretMinBytes && distinct >= 20
}
