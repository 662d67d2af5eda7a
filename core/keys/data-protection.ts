/**
 * Data protection: authenticated encryption of values handed to the browser (cookies,
 * anti-forgery tokens, interaction state). A value is a compact JWE (`dir` + A256GCM,
 * RFC 7516) under a per-purpose key derived with HKDF from the data-protection key, so a
 * value protected for one purpose fails authentication under any other purpose.
 */
import { base64url, CompactEncrypt, compactDecrypt, type JWK } from 'jose'

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const SALT = encoder.encode('portico/data-protection')
/** Purposes are a small fixed set chosen by code; the cap only bounds memory if that changes. */
const MAX_CACHED_PURPOSES = 256

/** A new 256-bit data-protection key as a symmetric JWK (RFC 7518 §6.4). */
export function generateDataProtectionJwk(): JWK {
  return { kty: 'oct', k: base64url.encode(crypto.getRandomValues(new Uint8Array(32))) }
}

interface ProtectedEnvelope {
  /** Expiry, epoch ms. */
  exp: number
  v: unknown
}

export class DataProtectionKey {
  private readonly purposes = new Map<string, Promise<CryptoKey>>()

  private constructor(
    readonly kid: string,
    private readonly master: CryptoKey,
  ) {}

  static async import(kid: string, jwk: JWK): Promise<DataProtectionKey> {
    if (jwk.kty !== 'oct' || typeof jwk.k !== 'string')
      throw new TypeError(`key "${kid}" is not a symmetric key`)
    const master = await crypto.subtle.importKey(
      'raw',
      new Uint8Array(base64url.decode(jwk.k)),
      'HKDF',
      false,
      ['deriveKey'],
    )
    return new DataProtectionKey(kid, master)
  }

  async protect(purpose: string, payload: unknown, expiresAt: number): Promise<string> {
    const envelope: ProtectedEnvelope = { exp: expiresAt, v: payload }
    return new CompactEncrypt(encoder.encode(JSON.stringify(envelope)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: this.kid })
      .encrypt(await this.purposeKey(purpose))
  }

  /** The payload, or undefined when the token is altered, for another purpose, or expired. */
  async unprotect(purpose: string, token: string, now: number): Promise<unknown> {
    let envelope: ProtectedEnvelope
    try {
      const { plaintext } = await compactDecrypt(token, await this.purposeKey(purpose), {
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      })
      envelope = JSON.parse(decoder.decode(plaintext)) as ProtectedEnvelope
    } catch {
      return undefined
    }
    if (typeof envelope?.exp !== 'number' || envelope.exp <= now) return undefined
    return envelope.v
  }

  private purposeKey(purpose: string): Promise<CryptoKey> {
    const cached = this.purposes.get(purpose)
    if (cached) return cached
    const derived = crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: SALT, info: encoder.encode(`purpose:${purpose}`) },
      this.master,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    )
    if (this.purposes.size < MAX_CACHED_PURPOSES) this.purposes.set(purpose, derived)
    return derived
  }
}
