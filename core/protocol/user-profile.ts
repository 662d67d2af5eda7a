/**
 * The claims of a signed-in user and whether they may still use the server (IdentityServer's
 * IProfileService: GetProfileData and IsActive). A user of the configuration store must exist
 * and be enabled; a user a custom `authenticate` signed in carries the claims it returned, kept
 * with the session. A host with its own user table supplies `profile` for fresh claims.
 */
import type { UserStore } from '../stores/configuration.ts'

/** Where Portico asks for a user's claims. */
export type ProfileCaller = 'authorize' | 'token' | 'userinfo'

export interface ProfileContext {
  clientId: string
  caller: ProfileCaller
  /** The claims Portico holds: the store user's, or those `authenticate` returned (else `{}`). */
  claims: Record<string, unknown>
}

/**
 * `(subjectId, scopes, context) => claims`, in a `.ts` config or `createPortico`: the user's
 * current claims for the scopes granted, or null/undefined when the user may no longer sign in
 * (tokens are then refused and refresh tokens revoked, as for a disabled user).
 */
export type Profile = (
  subjectId: string,
  scopes: readonly string[],
  context: ProfileContext,
) => Promise<Record<string, unknown> | null | undefined>

/** The configuration store's users, with the host's `profile` when it supplies one. */
export type UserDirectory = Pick<UserStore, 'findBySubjectId'> & { readonly profile?: Profile | undefined }

export function userDirectory(users: Pick<UserStore, 'findBySubjectId'>, profile?: Profile): UserDirectory {
  if (!profile) return users
  return { findBySubjectId: (subjectId) => users.findBySubjectId(subjectId), profile }
}

export interface ProfileRequest {
  scopes: readonly string[]
  clientId: string
  caller: ProfileCaller
}

/** The user's claims when active; undefined when the user is gone or disabled. */
export async function activeUserClaims(
  users: UserDirectory,
  subjectId: string,
  externalClaims: Record<string, unknown> | undefined,
  request: ProfileRequest,
): Promise<Record<string, unknown> | undefined> {
  const user = await users.findBySubjectId(subjectId)
  // A disabled store user stays disabled whatever the host's profile would say.
  if (user && !user.enabled) return undefined
  const held = user ? user.claims : externalClaims
  if (!users.profile) return held
  const claims = await users.profile(subjectId, request.scopes, {
    clientId: request.clientId,
    caller: request.caller,
    claims: held ?? {},
  })
  return claims ?? undefined
}
