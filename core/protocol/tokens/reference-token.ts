/**
 * Reference (opaque) access tokens: the client gets a 256-bit random handle; the operational
 * store keeps the claims under `grantKey(handle)` only, so a leaked table holds no token.
 */
import type { JWTPayload } from 'jose'
import type { PersistedGrant } from '../../models/grant.ts'
import { createHandle, grantKey } from '../../stores/handles.ts'
import type { PersistedGrantStore } from '../../stores/operational.ts'

export const referenceTokenType = 'reference_token'

/** Stores the claims of a new reference token and returns its handle. */
export async function createReferenceToken(
  grants: PersistedGrantStore,
  claims: JWTPayload,
  now: number,
  owner: { subjectId?: string | undefined; sessionId?: string | undefined } = {},
): Promise<string> {
  const handle = createHandle(32)
  const grant: PersistedGrant = {
    key: grantKey(handle, referenceTokenType),
    type: referenceTokenType,
    clientId: String(claims.client_id),
    createdAt: now,
    expiresAt: (claims.exp as number) * 1000,
    data: JSON.stringify(claims),
  }
  if (owner.subjectId) grant.subjectId = owner.subjectId
  if (owner.sessionId) grant.sessionId = owner.sessionId
  await grants.store(grant)
  return handle
}

/** The claims of an unexpired reference token, or undefined. */
export async function findReferenceToken(
  grants: PersistedGrantStore,
  handle: string,
  now: number,
): Promise<{ grant: PersistedGrant; claims: JWTPayload } | undefined> {
  const grant = await grants.get(grantKey(handle, referenceTokenType))
  if (!grant || grant.type !== referenceTokenType || grant.expiresAt <= now) return undefined
  try {
    return { grant, claims: JSON.parse(grant.data) as JWTPayload }
  } catch {
    return undefined
  }
}
