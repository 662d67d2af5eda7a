/**
 * Verifies this server's own JWT access tokens (for introspection) against the published keys,
 * as a resource server would: signature by a JWKS key, `typ: at+jwt`, our issuer, time claims.
 */
import { createLocalJWKSet, type JWTPayload, type JWTVerifyOptions, jwtVerify } from 'jose'
import type { Clock } from '../../clock.ts'
import { isStoreUnavailable } from '../../stores/errors.ts'
import { accessTokenType } from './jwt-access-token.ts'
import type { PublicKeySource } from './token-signer.ts'

export interface AccessTokenVerifierOptions {
  /** The key ring: it answers from memory and follows the keys store (its refresh interval). */
  keys: PublicKeySource
  clock: Clock
}

const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]+$/

/** Every JWS algorithm a published key may carry (RFC 7518 §3.1, minus `none` and HMAC). */
const algorithms = ['RS256', 'ES256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES384', 'ES512', 'EdDSA']

/** True when a token has the compact JWS shape (so is not a reference handle). */
export function looksLikeJwt(token: string): boolean {
  return jwtShape.test(token)
}

export class AccessTokenVerifier {
  /** jose's key set for the published kids it was built from; rebuilt when they change. */
  private keySet: { kids: string; value: ReturnType<typeof createLocalJWKSet> } | undefined

  constructor(private readonly options: AccessTokenVerifierOptions) {}

  /**
   * The token's claims when valid; undefined for any invalid, foreign or expired token, or one
   * signed by a key no longer published (revoked). Rejects only when the keys store is
   * unavailable (the endpoint's 503).
   */
  async verify(token: string, issuer: string): Promise<JWTPayload | undefined> {
    const options: JWTVerifyOptions = {
      issuer,
      typ: accessTokenType,
      currentDate: new Date(this.options.clock.now()),
      requiredClaims: ['exp'],
    }
    const { keys } = this.options
    try {
      // The key ring also knows a key another instance activated a moment ago (it looks again).
      if (keys.verify) return (await keys.verify(token, options)).payload
      const { payload } = await jwtVerify(token, await this.currentKeySet(), { ...options, algorithms })
      return payload
    } catch (error) {
      if (isStoreUnavailable(error)) throw error
      return undefined
    }
  }

  /**
   * The published keys as the key ring has them now, never an older copy: a key revoked in the
   * store (`portico keys revoke`) leaves the ring at its next refresh, and from then on no token
   * it signed may introspect as active (RFC 7662 §2.2) or reach userinfo. Only jose's key set
   * is reused, while the published kids stay the same.
   */
  private async currentKeySet(): Promise<ReturnType<typeof createLocalJWKSet>> {
    const jwks = await this.options.keys.jwks()
    const kids = jwks.keys.map((key) => key.kid ?? '').join(' ')
    if (this.keySet?.kids !== kids) this.keySet = { kids, value: createLocalJWKSet(jwks) }
    return this.keySet.value
  }
}
