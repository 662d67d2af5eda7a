/**
 * The keys role: where the key ring keeps its (encrypted) key material, shared by every
 * instance. Writes are compare-and-set so instances starting together agree on one key.
 */
import type { KeyRecord } from '../models/key.ts'

export interface KeyStore {
  /** Every record, ordered by createdAt then id. */
  list(): Promise<KeyRecord[]>
  /** Adds the record; false (and nothing written) when the id exists. Of N racing adds of one id, one wins. */
  add(record: KeyRecord): Promise<boolean>
  /**
   * Writes `record` (its own `version` included) only if the stored version equals
   * `expectedVersion`; false when the record is absent or the race was lost.
   */
  update(record: KeyRecord, expectedVersion: number): Promise<boolean>
  remove(id: string): Promise<boolean>
}
