/**
 * Key material as kept by the keys store. `data` is always encrypted by the key ring
 * before it reaches a store; stores never see a plain private key.
 */
export interface KeyRecord {
  /** The `kid`, unique in the store. */
  id: string
  use: KeyUse
  /** `RS256`, `ES256` … for signing keys, `A256GCM` for data-protection keys. */
  algorithm: string
  /** Epoch milliseconds. */
  createdAt: number
  /** Encrypted key material and lifecycle state, opaque to the store. */
  data: string
  /** Incremented on every update; the basis of compare-and-set. */
  version: number
}

/** `state` records hold the key ring's own coordination state (rotation schedule). */
export type KeyUse = 'signing' | 'data-protection' | 'state'
