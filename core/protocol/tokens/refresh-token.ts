/**
 * Refresh tokens (RFC 6749 §1.5, §6): a 256-bit handle stored as its digest with what the
 * grant carries forward: the scopes granted at sign-in (the ceiling of every refresh), the
 * user's authentication (`auth_time`, `amr`, `sid` for new ID Tokens), and when the grant ends.
 */
import type { Client } from '../../models/client.ts'
import type { PersistedGrant } from '../../models/grant.ts'
import { createHandle, grantKey } from '../../stores/handles.ts'
import type { PersistedGrantStore } from '../../stores/operational.ts'
import { refreshTokenType } from './grant-family.ts'

export interface RefreshTokenData {
  issuer: string
  /** Granted at sign-in; a refresh may narrow them, never widen (RFC 6749 §6). */
  scopes: string[]
  resources: string[]
  /** Epoch seconds. */
  authTime: number
  amr: string[]
  /** Epoch ms when the grant ends whatever sliding does; 0 for none. */
  absoluteExpiresAt: number
  /** User claims copied into access tokens at sign-in (kept unless `updateAccessTokenClaimsOnRefresh`). */
  accessTokenClaims: Record<string, unknown>
  /** Claims from a custom `authenticate`, for users outside the configuration store. */
  userClaims?: Record<string, unknown> | undefined
  /** RFC 9449 §5: the thumbprint of the DPoP key a public client's refresh token is bound to. */
  jkt?: string | undefined
}

export interface RefreshTokenOwner {
  clientId: string
  subjectId: string
  sessionId: string
}

export function refreshTokenKey(handle: string): string {
  return grantKey(handle, refreshTokenType)
}

/** The absolute end of a new grant (`absoluteRefreshTokenLifetime`, 0 = none for sliding tokens). */
export function absoluteEnd(client: Client, now: number): number {
  return client.absoluteRefreshTokenLifetime > 0 ? now + client.absoluteRefreshTokenLifetime * 1000 : 0
}

/**
 * When a refresh token issued now expires: at the grant's absolute end, or (sliding) a
 * sliding lifetime from now but never past that end (IdentityServer's TokenExpiration).
 */
export function refreshTokenExpiry(client: Client, now: number, absoluteExpiresAt: number): number {
  if (client.refreshTokenExpiration === 'absolute')
    return absoluteExpiresAt || now + client.slidingRefreshTokenLifetime * 1000
  const sliding = now + client.slidingRefreshTokenLifetime * 1000
  return absoluteExpiresAt > 0 ? Math.min(sliding, absoluteExpiresAt) : sliding
}

/** Stores a refresh token (a new handle unless one is given, as `reUse` does) and returns it. */
export async function storeRefreshToken(
  grants: PersistedGrantStore,
  owner: RefreshTokenOwner,
  data: RefreshTokenData,
  times: { now: number; expiresAt: number; createdAt?: number },
  handle: string = createHandle(32),
): Promise<string> {
  const grant: PersistedGrant = {
    key: refreshTokenKey(handle),
    type: refreshTokenType,
    clientId: owner.clientId,
    subjectId: owner.subjectId,
    sessionId: owner.sessionId,
    createdAt: times.createdAt ?? times.now,
    expiresAt: times.expiresAt,
    data: JSON.stringify(data),
  }
  await grants.store(grant)
  return handle
}

export function readRefreshTokenData(grant: PersistedGrant): RefreshTokenData | undefined {
  try {
    const data = JSON.parse(grant.data) as RefreshTokenData
    return Array.isArray(data.scopes) && typeof data.authTime === 'number' ? data : undefined
  } catch {
    return undefined
  }
}
