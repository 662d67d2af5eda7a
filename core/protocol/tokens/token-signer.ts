/**
 * The narrow view of the key ring that token issuance and verification need, so core depends
 * on what it uses (the KeyRing satisfies both).
 */
import type { JWK, JWTPayload, JWTVerifyOptions, JWTVerifyResult } from 'jose'
import type { SigningAlgorithm } from '../../keys/signing-keys.ts'

export type { SigningAlgorithm }

export interface TokenSigner {
  /** A compact JWS with the active key of `alg` (its `kid` in the header). */
  sign(payload: JWTPayload, options: { alg?: SigningAlgorithm; typ?: string }): Promise<string>
}

export interface PublicKeySource {
  /** The published verification keys (announced, active and retired). */
  jwks(): Promise<{ keys: JWK[] }>
  /**
   * Verifies a JWT against the published keys, first looking in the keys store again when it
   * names a kid not published here yet (the key ring does, rate-limited). Optional: without it,
   * tokens are verified against `jwks()`.
   */
  verify?(token: string, options: JWTVerifyOptions): Promise<JWTVerifyResult>
}
