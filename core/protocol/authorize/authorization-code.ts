/**
 * Authorization codes (RFC 6749 §4.1.2): a 256-bit handle given to the client, stored only as
 * its digest with everything the token request must match. Single use through the store's
 * atomic consume; short-lived (`authorizationCodeLifetime`, 300 s by default).
 */
import type { Clock } from '../../clock.ts'
import type { PersistedGrant } from '../../models/grant.ts'
import { createHandle, grantKey } from '../../stores/handles.ts'
import type { PersistedGrantStore } from '../../stores/operational.ts'
import type { ClaimsRequest } from './claims-request.ts'
import type { CodeChallenge } from './pkce.ts'

export const authorizationCodeType = 'authorization_code'

/** What the code binds (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC Core §3.1.3.2). */
export interface AuthorizationCodeData {
  issuer: string
  redirectUri: string
  /** Scopes the user granted. */
  scopes: string[]
  /** RFC 8707 resources named at the authorize endpoint. */
  resources: string[]
  codeChallenge?: CodeChallenge | undefined
  /** RFC 9449 §10: the DPoP key the code is exchanged with. */
  dpopJkt?: string | undefined
  nonce?: string | undefined
  /** Epoch seconds. */
  authTime: number
  amr: string[]
  claims?: ClaimsRequest | undefined
  /** Claims from a custom `authenticate`, for users outside the configuration store. */
  userClaims?: Record<string, unknown> | undefined
}

export interface IssuedCodeOwner {
  clientId: string
  subjectId: string
  sessionId: string
  lifetimeSeconds: number
}

export async function issueAuthorizationCode(
  grants: PersistedGrantStore,
  clock: Clock,
  owner: IssuedCodeOwner,
  data: AuthorizationCodeData,
): Promise<string> {
  const code = createHandle(32)
  const now = clock.now()
  const grant: PersistedGrant = {
    key: grantKey(code, authorizationCodeType),
    type: authorizationCodeType,
    clientId: owner.clientId,
    subjectId: owner.subjectId,
    sessionId: owner.sessionId,
    createdAt: now,
    expiresAt: now + owner.lifetimeSeconds * 1000,
    data: JSON.stringify(data),
  }
  await grants.store(grant)
  return code
}

export function codeKey(code: string): string {
  return grantKey(code, authorizationCodeType)
}

export function readCodeData(grant: PersistedGrant): AuthorizationCodeData | undefined {
  try {
    const data = JSON.parse(grant.data) as AuthorizationCodeData
    return typeof data.redirectUri === 'string' && Array.isArray(data.scopes) ? data : undefined
  } catch {
    return undefined
  }
}
