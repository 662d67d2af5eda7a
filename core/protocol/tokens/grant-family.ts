/**
 * A grant family: everything one client holds for one user from one sign-in session (the
 * refresh tokens of every rotation and the reference access tokens beside them). A code used
 * twice (RFC 9700 §4.2.4), a rotated refresh token used again (§4.14.2) or a revoked refresh
 * token (RFC 7009 §2.1) ends the whole family; self-contained JWT access tokens just expire.
 */
import type { PersistedGrant } from '../../models/grant.ts'
import type { PersistedGrantStore } from '../../stores/operational.ts'
import { referenceTokenType } from './reference-token.ts'

export const refreshTokenType = 'refresh_token'

/** Removes the family's reference access tokens, then its refresh tokens; how many went. */
export async function revokeFamily(
  grants: PersistedGrantStore,
  member: Pick<PersistedGrant, 'subjectId' | 'clientId' | 'sessionId'>,
  options: { refreshTokens: boolean } = { refreshTokens: true },
): Promise<number> {
  // Without a user there is no family (client_credentials): nothing beyond the token itself.
  if (!member.subjectId) return 0
  const family = {
    subjectId: member.subjectId,
    clientId: member.clientId,
    ...(member.sessionId ? { sessionId: member.sessionId } : {}),
  }
  // Access tokens first: if the store fails in between, a retry still finds the refresh token.
  let removed = await grants.removeAll({ ...family, type: referenceTokenType })
  if (options.refreshTokens) removed += await grants.removeAll({ ...family, type: refreshTokenType })
  return removed
}
