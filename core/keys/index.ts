/** The key ring: signing keys, JWKS and data protection, shared through the keys store. */
export { AtRestCipher } from './at-rest.ts'
export { KeyDecryptionError, KeyRingError } from './errors.ts'
export type { JsonWebKeySet } from './jwks.ts'
export type { FamilyUse } from './key-families.ts'
export {
  DATA_PROTECTION_ALGORITHM,
  type KeyInfo,
  KeyRing,
  type RotateOptions,
  type SigningKey,
} from './key-ring.ts'
export { defaultLifetimes, type KeyLifetimes, type KeyStatus } from './lifecycle.ts'
export type { KeyLifetimeOptions, KeyRingOptions } from './options.ts'
export { type RewrapResult, rewrapKeyRecords } from './rewrap.ts'
export { isSigningAlgorithm, type SigningAlgorithm, signingAlgorithms } from './signing-keys.ts'
