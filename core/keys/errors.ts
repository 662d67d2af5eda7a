/** Errors the key ring raises with stable codes, so callers branch on `code`, never on text. */

/**
 * A key record in the store cannot be decrypted with this `PORTICO_KEY_SECRET`: the
 * secret differs from the one that encrypted it, or the record was altered.
 */
export class KeyDecryptionError extends Error {
  readonly code = 'ERR_KEY_DECRYPTION'
  override name = 'KeyDecryptionError'
  constructor(
    readonly kid: string,
    options?: { cause?: unknown },
  ) {
    super(
      `key "${kid}" in the keys store cannot be decrypted: PORTICO_KEY_SECRET differs from the secret that encrypted it, or the record was altered`,
      options,
    )
  }
}

/** The key ring could not settle on its keys (too many concurrent writers, or no usable key). */
export class KeyRingError extends Error {
  readonly code = 'ERR_KEY_RING'
  override name = 'KeyRingError'
}
