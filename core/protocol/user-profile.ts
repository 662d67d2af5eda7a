/**
 * The claims of a signed-in user and whether they may still use the server (IdentityServer's
 * IProfileService.IsActive): a user of the configuration store must exist and be enabled; a
 * user a custom `authenticate` signed in carries the claims it returned, kept with the session.
 */
import type { UserStore } from '../stores/configuration.ts'

/** The user's claims when active; undefined when the user is gone or disabled. */
export async function activeUserClaims(
  users: Pick<UserStore, 'findBySubjectId'>,
  subjectId: string,
  externalClaims: Record<string, unknown> | undefined,
): Promise<Record<string, unknown> | undefined> {
  const user = await users.findBySubjectId(subjectId)
  if (user) return user.enabled ? user.claims : undefined
  return externalClaims
}
