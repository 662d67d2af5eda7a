/**
 * Verifies this server's own JWT access tokens (for introspection) against the published keys,
 * as a resource server would: signature by a JWKS key, `typ: at+jwt`, our issuer, time claims.
 */
import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose'
import type { Clock } from '../../clock.ts'
import { accessTokenType } from './jwt-access-token.ts'
import type { PublicKeySource } from './token-signer.ts'

export interface AccessTokenVerifierOptions {
  keys: PublicKeySource
  clock: Clock
  /** How long the key set is reused before asking the key ring again (default 30 s). */
  refreshMs?: number
}

const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]+$/

/** True when a token has the compact JWS shape (so is not a reference handle). */
export function looksLikeJwt(token: string): boolean {
  return jwtShape.test(token)
}

export class AccessTokenVerifier {
  private keySet: { value: ReturnType<typeof createLocalJWKSet>; loadedAt: number } | undefined

  constructor(private readonly options: AccessTokenVerifierOptions) {}

  /** The token's claims when valid; undefined for any invalid, foreign or expired token. */
  async verify(token: string, issuer: string): Promise<JWTPayload | undefined> {
    const fresh = await this.attempt(token, issuer, false)
    if (fresh !== 'unknown-key') return fresh
    // A key announced since the last load: reload once.
    const retried = await this.attempt(token, issuer, true)
    return retried === 'unknown-key' ? undefined : retried
  }

  private async attempt(
    token: string,
    issuer: string,
    reload: boolean,
  ): Promise<JWTPayload | undefined | 'unknown-key'> {
    const keySet = await this.currentKeySet(reload)
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer,
        typ: accessTokenType,
        algorithms: [
          'RS256',
          'ES256',
          'RS384',
          'RS512',
          'PS256',
          'PS384',
          'PS512',
          'ES384',
          'ES512',
          'EdDSA',
        ],
        currentDate: new Date(this.options.clock.now()),
        requiredClaims: ['exp'],
      })
      return payload
    } catch (error) {
      return (error as { code?: string }).code === 'ERR_JWKS_NO_MATCHING_KEY' && !reload
        ? 'unknown-key'
        : undefined
    }
  }

  private async currentKeySet(reload: boolean): Promise<ReturnType<typeof createLocalJWKSet>> {
    const now = this.options.clock.now()
    const maxAge = this.options.refreshMs ?? 30_000
    if (!reload && this.keySet && now - this.keySet.loadedAt < maxAge) return this.keySet.value
    const jwks = await this.options.keys.jwks()
    this.keySet = { value: createLocalJWKSet(jwks), loadedAt: now }
    return this.keySet.value
  }
}
