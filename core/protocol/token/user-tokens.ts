/**
 * The tokens a grant acting for a user returns (authorization code, refresh token): an access
 * token, an ID Token when `openid` is granted (OIDC Core §3.1.3.3, §12.2), and a refresh token
 * when `offline_access` is (OIDC Core §11), each shaped by the client's settings.
 */
import type { Client } from '../../models/client.ts'
import { OAuthError } from '../errors.ts'
import type { Audience } from '../resource-validation.ts'
import { offlineAccessScope } from '../scopes.ts'
import { signIdToken } from '../tokens/id-token.ts'
import { absoluteEnd, refreshTokenExpiry, storeRefreshToken } from '../tokens/refresh-token.ts'
import { pickClaims, releasableClaimNames } from '../user-claims.ts'
import type { IdentityServices, TokenResponse, TokenServices } from './grant-handlers.ts'

export interface UserGrant {
  issuer: string
  client: Client
  subjectId: string
  sessionId: string
  /** Epoch seconds. */
  authTime: number
  amr: readonly string[]
  audience: Audience
  /** The user's current claims (store or custom authenticate). */
  userClaims: Readonly<Record<string, unknown>>
  /** User claims the access token carries. */
  accessTokenClaims: Readonly<Record<string, unknown>>
  /** Claim names the `claims` parameter asked for in the ID Token. */
  idTokenClaims?: readonly string[] | undefined
  /** Only at the code exchange: a refreshed ID Token has no nonce (OIDC Core §12.2). */
  nonce?: string | undefined
  /** The token request's DPoP key: the access token is bound to it (RFC 9449 §5). */
  dpop?: { jkt: string } | undefined
}

export function identityOf(services: TokenServices): IdentityServices {
  if (!services.identity) throw new OAuthError('unsupported_grant_type', 'this server does not sign users in')
  return services.identity
}

/** Whether the grant carries a refresh token (and the client may still have one). */
function grantsOfflineAccess(grant: UserGrant): boolean {
  return grant.client.allowOfflineAccess && grant.audience.scopes.includes(offlineAccessScope)
}

export async function issueUserTokens(services: TokenServices, grant: UserGrant): Promise<TokenResponse> {
  const { issuer, client, audience } = grant
  const access = await services.accessTokens.issue({
    issuer,
    client,
    granted: audience,
    subjectId: grant.subjectId,
    sessionId: grant.sessionId,
    authTime: grant.authTime,
    extraClaims: grant.accessTokenClaims,
    confirmation: grant.dpop,
  })
  const response: TokenResponse = {
    access_token: access.accessToken,
    token_type: access.tokenType,
    expires_in: access.expiresIn,
    scope: access.scope,
  }
  if (audience.scopes.includes('openid')) {
    const identity = identityOf(services)
    const releasable = releasableClaimNames(audience.identityResources)
    // OIDC Core §5.4: with an access token, scope claims come from userinfo unless the client asks otherwise.
    const names = client.alwaysIncludeUserClaimsInIdToken
      ? releasable
      : (grant.idTokenClaims ?? []).filter((name) => releasable.has(name))
    response.id_token = await signIdToken(
      identity.signer,
      {
        issuer,
        client,
        subjectId: grant.subjectId,
        sessionId: grant.sessionId,
        authTime: grant.authTime,
        amr: grant.amr,
        nonce: grant.nonce,
        accessToken: access.accessToken,
        userClaims: pickClaims(grant.userClaims, names),
        now: services.clock.now(),
      },
      identity.signingAlgorithms,
    )
  }
  return response
}

/** What a new refresh token carries forward besides the user grant (refresh-token.ts). */
export interface RefreshGrantCarry {
  /** The whole grant, which this token request may have narrowed. */
  scopes: string[]
  resources: string[]
  userClaims?: Record<string, unknown> | undefined
  /** RFC 9449 §5: the DPoP key a public client's refresh token is bound to. */
  jkt?: string | undefined
}

/** Starts a refresh-token grant for a user grant that carries offline access (OIDC Core §11). */
export async function startRefreshGrant(
  services: TokenServices,
  grant: UserGrant,
  carry: RefreshGrantCarry,
): Promise<string | undefined> {
  if (!grantsOfflineAccess(grant)) return undefined
  const { client } = grant
  const now = services.clock.now()
  const absoluteExpiresAt = absoluteEnd(client, now)
  return storeRefreshToken(
    services.grants,
    { clientId: client.clientId, subjectId: grant.subjectId, sessionId: grant.sessionId },
    {
      issuer: grant.issuer,
      scopes: carry.scopes,
      resources: carry.resources,
      authTime: grant.authTime,
      amr: [...grant.amr],
      absoluteExpiresAt,
      accessTokenClaims: { ...grant.accessTokenClaims },
      userClaims: carry.userClaims,
      jkt: carry.jkt,
    },
    { now, expiresAt: refreshTokenExpiry(client, now, absoluteExpiresAt) },
  )
}

/** The whole answer for a user grant: its tokens, and a refresh token when offline access was granted. */
export async function respondForUser(
  services: TokenServices,
  grant: UserGrant,
  carry: RefreshGrantCarry,
): Promise<TokenResponse> {
  const response = await issueUserTokens(services, grant)
  const refreshToken = await startRefreshGrant(services, grant, carry)
  if (refreshToken) response.refresh_token = refreshToken
  return response
}
