/**
 * The narrow view of the key ring that token issuance and verification need, so core depends
 * on what it uses (the KeyRing satisfies both).
 */
import type { JWK, JWTPayload } from 'jose'

export interface TokenSigner {
  /** A compact JWS with the active key of `alg` (its `kid` in the header). */
  sign(payload: JWTPayload, options: { alg?: string; typ?: string }): Promise<string>
}

export interface PublicKeySource {
  /** The published verification keys (announced, active and retired). */
  jwks(): Promise<{ keys: JWK[] }>
}
