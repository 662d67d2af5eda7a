/**
 * Issues an access token in the client's format: a signed RFC 9068 JWT (nothing written to
 * any store) or a reference token (one persisted grant).
 */
import type { Clock } from '../../clock.ts'
import type { Client } from '../../models/client.ts'
import type { PersistedGrantStore } from '../../stores/operational.ts'
import type { Audience } from '../resource-validation.ts'
import { accessTokenAlgorithm, accessTokenClaims, signJwtAccessToken } from './jwt-access-token.ts'
import { createReferenceToken } from './reference-token.ts'
import type { SigningAlgorithm, TokenSigner } from './token-signer.ts'

export interface AccessTokenIssuerOptions {
  signer: TokenSigner
  grants: PersistedGrantStore
  clock: Clock
  /** The deployment's access-token algorithm (default ES256). */
  defaultAlgorithm?: SigningAlgorithm
  /** Algorithms the key ring signs with. */
  supportedAlgorithms?: readonly SigningAlgorithm[]
}

export interface AccessTokenRequest {
  issuer: string
  client: Client
  granted: Audience
  subjectId?: string | undefined
  sessionId?: string | undefined
  /** Epoch seconds. */
  authTime?: number | undefined
  extraClaims?: Record<string, unknown> | undefined
  /** RFC 9449 §6: the DPoP key the token is bound to (`cnf.jkt`, token_type DPoP). */
  confirmation?: { jkt: string } | undefined
}

export interface IssuedAccessToken {
  accessToken: string
  tokenType: 'Bearer' | 'DPoP'
  /** Seconds. */
  expiresIn: number
  scope: string
}

export class AccessTokenIssuer {
  readonly defaultAlgorithm: SigningAlgorithm
  readonly supportedAlgorithms: readonly SigningAlgorithm[]

  constructor(private readonly options: AccessTokenIssuerOptions) {
    this.defaultAlgorithm = options.defaultAlgorithm ?? 'ES256'
    this.supportedAlgorithms = options.supportedAlgorithms ?? ['ES256', 'RS256']
  }

  async issue(request: AccessTokenRequest): Promise<IssuedAccessToken> {
    const { client, granted } = request
    const now = this.options.clock.now()
    const claims = accessTokenClaims({
      issuer: request.issuer,
      client,
      audiences: granted.audiences,
      scopes: granted.scopes,
      now,
      subjectId: request.subjectId,
      sessionId: request.sessionId,
      authTime: request.authTime,
      extraClaims: request.extraClaims,
    })
    if (request.confirmation) claims.cnf = { jkt: request.confirmation.jkt }
    const accessToken =
      client.accessTokenType === 'reference'
        ? await createReferenceToken(this.options.grants, claims, now, request)
        : await signJwtAccessToken(
            this.options.signer,
            claims,
            accessTokenAlgorithm(granted.apiResources, this.defaultAlgorithm, this.supportedAlgorithms),
          )
    return {
      accessToken,
      tokenType: request.confirmation ? 'DPoP' : 'Bearer',
      expiresIn: client.accessTokenLifetime,
      scope: granted.scopes.join(' '),
    }
  }
}
