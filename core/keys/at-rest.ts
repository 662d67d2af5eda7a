/**
 * Encryption of key material at rest: every record the key ring writes is a compact JWE
 * (`dir` + A256GCM) under a key derived with HKDF from `PORTICO_KEY_SECRET`. The record id
 * travels in the authenticated protected header, so a record's data cannot be moved under
 * another id without detection.
 */
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose'
import { KeyDecryptionError } from './errors.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

// Fixed, versioned HKDF inputs: changing them makes every stored key unreadable (RFC 5869 §3.1-3.2).
const SALT = encoder.encode('portico/key-ring')
const INFO = encoder.encode('portico/key-ring/at-rest/v1')

export class AtRestCipher {
  private constructor(private readonly key: CryptoKey) {}

  /** Derives the at-rest key from the deployment secret (HKDF-SHA-256, RFC 5869). */
  static async fromSecret(secret: string): Promise<AtRestCipher> {
    if (secret.length === 0) throw new TypeError('the key ring secret (PORTICO_KEY_SECRET) must not be empty')
    const ikm = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
    const key = await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: SALT, info: INFO },
      ikm,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    )
    return new AtRestCipher(key)
  }

  /** Encrypts `value` (JSON) for the record `id`. */
  async seal(id: string, value: unknown): Promise<string> {
    return new CompactEncrypt(encoder.encode(JSON.stringify(value)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: id })
      .encrypt(this.key)
  }

  /** Decrypts the data of record `id`; throws `KeyDecryptionError` naming the id otherwise. */
  async open(id: string, data: string): Promise<unknown> {
    try {
      if (decodeProtectedHeader(data).kid !== id) throw new Error('the record was sealed for another id')
      const { plaintext } = await compactDecrypt(data, this.key, {
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      })
      return JSON.parse(decoder.decode(plaintext))
    } catch (cause) {
      throw new KeyDecryptionError(id, { cause })
    }
  }
}
