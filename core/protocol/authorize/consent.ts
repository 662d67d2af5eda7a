/**
 * Remembered consent (IdentityServer's `user_consent` persisted grant): the scopes a user
 * allowed a client, so the consent page is not shown again while they cover a request.
 */
import type { Clock } from '../../clock.ts'
import type { Client } from '../../models/client.ts'
import { grantKey } from '../../stores/handles.ts'
import type { PersistedGrantStore } from '../../stores/operational.ts'
import type { Audience } from '../resource-validation.ts'

export const userConsentType = 'user_consent'
/** A consent without `consentLifetime` lasts until revoked; stores need a finite expiry. */
const untilRevoked = 10 * 365 * 24 * 3600 * 1000

function consentKey(subjectId: string, clientId: string): string {
  // A newline never occurs in a subject or client id, so the pair is unambiguous.
  return grantKey(`${subjectId}\n${clientId}`, userConsentType)
}

/** The scopes the user has allowed this client, or undefined when nothing is remembered. */
export async function rememberedScopes(
  grants: PersistedGrantStore,
  subjectId: string,
  clientId: string,
): Promise<Set<string> | undefined> {
  const grant = await grants.get(consentKey(subjectId, clientId))
  if (!grant || grant.type !== userConsentType) return undefined
  try {
    const scopes = JSON.parse(grant.data) as { scopes?: unknown }
    return Array.isArray(scopes.scopes)
      ? new Set(scopes.scopes.filter((s) => typeof s === 'string'))
      : undefined
  } catch {
    return undefined
  }
}

export async function rememberConsent(
  grants: PersistedGrantStore,
  clock: Clock,
  subjectId: string,
  client: Client,
  scopes: readonly string[],
): Promise<void> {
  const now = clock.now()
  const lifetime = client.consentLifetime ? client.consentLifetime * 1000 : untilRevoked
  await grants.store({
    key: consentKey(subjectId, client.clientId),
    type: userConsentType,
    subjectId,
    clientId: client.clientId,
    createdAt: now,
    expiresAt: now + lifetime,
    data: JSON.stringify({ scopes }),
  })
}

export async function forgetConsent(
  grants: PersistedGrantStore,
  subjectId: string,
  clientId: string,
): Promise<void> {
  await grants.remove(consentKey(subjectId, clientId))
}

/** Scope names a consent page must not let the user untick (resources marked `required`). */
export function requiredScopeNames(
  requested: Pick<Audience, 'identityResources' | 'apiScopes'>,
): Set<string> {
  const { identityResources, apiScopes } = requested
  return new Set([...identityResources, ...apiScopes].filter((r) => r.required).map((r) => r.name))
}

/**
 * The scopes a consent grants: those requested that the user left ticked, plus the required
 * ones whatever the browser sent; never one that was not requested.
 */
export function consentedScopes(requested: Audience, ticked: readonly string[]): string[] {
  const offered = new Set(ticked)
  const required = requiredScopeNames(requested)
  return requested.scopes.filter((scope) => offered.has(scope) || required.has(scope))
}
