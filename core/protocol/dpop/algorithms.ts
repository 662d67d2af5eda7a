/**
 * RFC 9449 §4.2: a DPoP proof is signed with an asymmetric algorithm; `none` and the HMAC
 * algorithms (a key the server would have to share) are never accepted. Advertised in
 * discovery as `dpop_signing_alg_values_supported` (§5.1).
 */
export const dpopSigningAlgorithms = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
] as const

/** The `algs` attribute of a DPoP challenge (RFC 9449 §7.1). */
export const dpopAlgsAttribute = dpopSigningAlgorithms.join(' ')
