/**
 * Rotating PORTICO_KEY_SECRET without losing keys: every key record is decrypted with the old
 * secret and sealed again with the new one, under the same id, so the same kids keep signing
 * and verifying. Idempotent, so an interrupted run is finished by running it again: a record
 * the new secret already opens is left alone. Each write is compare-and-set on the record's
 * version, so a key ring writing at the same time is never overwritten (run it again).
 */
import type { KeyStore } from '../stores/keys.ts'
import { AtRestCipher } from './at-rest.ts'
import { KeyDecryptionError, KeyRingError } from './errors.ts'

export interface RewrapResult {
  /** Records sealed again under the new secret. */
  rewrapped: number
  /** Records the new secret already opened. */
  unchanged: number
}

export async function rewrapKeyRecords(store: KeyStore, from: string, to: string): Promise<RewrapResult> {
  const [oldCipher, newCipher] = await Promise.all([
    AtRestCipher.fromSecret(from),
    AtRestCipher.fromSecret(to),
  ])
  const result: RewrapResult = { rewrapped: 0, unchanged: 0 }
  for (const record of await store.list()) {
    // The key ring's coordination state holds kids and times, no key material: never sealed.
    if (record.use === 'state') continue
    if (await opens(newCipher, record.id, record.data)) {
      result.unchanged++
      continue
    }
    // Throws KeyDecryptionError naming the kid when the old secret does not open it either.
    const value = await oldCipher.open(record.id, record.data)
    const data = await newCipher.seal(record.id, value)
    if (!(await store.update({ ...record, data, version: record.version + 1 }, record.version))) {
      throw new KeyRingError(
        `key "${record.id}" changed while it was being re-encrypted; run the command again`,
      )
    }
    result.rewrapped++
  }
  return result
}

async function opens(cipher: AtRestCipher, id: string, data: string): Promise<boolean> {
  try {
    await cipher.open(id, data)
    return true
  } catch (error) {
    if (error instanceof KeyDecryptionError) return false
    throw error
  }
}
