/**
 * The UserInfo endpoint (OIDC Core §5.3): the claims of the user an access token was issued
 * for, limited to what its scopes release. The token is a bearer token (RFC 6750) from this
 * server carrying the `openid` scope; refusals use RFC 6750 §3.1 codes and challenges.
 */
import type { JWTPayload } from 'jose'
import type { Clock } from '../clock.ts'
import type { Client } from '../models/client.ts'
import type { IdentityResource } from '../models/resources.ts'
import type { PersistedGrantStore, UserSessionStore } from '../stores/operational.ts'
import { type DPoPValidator, dpopChallenge, dpopError } from './dpop/dpop-validator.ts'
import { checkSenderConstraint, type TokenPresentation } from './dpop/resource-access.ts'
import { OAuthError } from './errors.ts'
import { externalClaimsOf } from './session/browser-session.ts'
import { type AccessTokenVerifier, looksLikeJwt } from './tokens/access-token-verifier.ts'
import { findReferenceToken } from './tokens/reference-token.ts'
import { pickClaims, releasableClaimNames } from './user-claims.ts'
import { activeUserClaims, type UserDirectory } from './user-profile.ts'

export interface UserinfoOptions {
  verifier: AccessTokenVerifier
  grants: PersistedGrantStore
  clients: { findClient(clientId: string): Promise<Client | undefined> }
  resources: { findIdentityResources(names: readonly string[]): Promise<IdentityResource[]> }
  users: UserDirectory
  sessions: Pick<UserSessionStore, 'listBySubject'>
  clock: Clock
  /** Validates DPoP proofs of DPoP-bound access tokens (RFC 9449 §7). */
  dpop?: DPoPValidator | undefined
}

export class UserinfoEndpoint {
  constructor(private readonly options: UserinfoOptions) {}

  /** The claims for an access token (already taken from the header or body) and how it came. */
  async handle(
    token: string,
    issuer: string,
    presentation?: TokenPresentation,
  ): Promise<Record<string, unknown>> {
    const scheme = presentation?.scheme ?? 'Bearer'
    const claims = await this.verify(token, issuer)
    if (!claims) throw invalidToken('the access token is invalid or expired', scheme)
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : []
    // OIDC Core §5.3.1: userinfo answers tokens granted the openid scope, i.e. issued to sign a user in.
    if (!scopes.includes('openid')) throw insufficientScope('openid', scheme)
    const subjectId = claims.sub
    const client =
      typeof claims.client_id === 'string'
        ? await this.options.clients.findClient(claims.client_id)
        : undefined
    if (typeof subjectId !== 'string' || !client?.enabled)
      throw invalidToken('the access token is no longer valid', scheme)
    if (presentation) {
      await checkSenderConstraint(this.options.dpop, { token, claims, client, presentation })
    } else if (claims.cnf !== undefined) {
      throw invalidToken('the access token is DPoP-bound', 'DPoP')
    }
    const sid = typeof claims.sid === 'string' ? claims.sid : undefined
    const external = sid ? await this.externalClaims(subjectId, sid) : undefined
    const userClaims = await activeUserClaims(this.options.users, subjectId, external, {
      scopes,
      clientId: client.clientId,
      caller: 'userinfo',
    })
    if (!userClaims) throw invalidToken('the user is no longer active', scheme)
    const identityResources = await this.options.resources.findIdentityResources(scopes)
    const released = releasableClaimNames(identityResources.filter((r) => r.enabled))
    return { ...pickClaims(userClaims, released), sub: subjectId }
  }

  private async verify(token: string, issuer: string): Promise<JWTPayload | undefined> {
    if (looksLikeJwt(token)) return this.options.verifier.verify(token, issuer)
    const found = await findReferenceToken(this.options.grants, token, this.options.clock.now())
    return found?.claims.iss === issuer ? found.claims : undefined
  }

  /** Claims a custom `authenticate` returned, kept with the session the token came from. */
  private async externalClaims(subjectId: string, sid: string): Promise<Record<string, unknown> | undefined> {
    const sessions = await this.options.sessions.listBySubject(subjectId)
    const session = sessions.find((candidate) => candidate.sessionId === sid)
    return session ? externalClaimsOf(session.data) : undefined
  }
}

/** RFC 6750 §3.1 (RFC 9449 §7.1 for the DPoP scheme): 401 with the error in the challenge. */
export function invalidToken(description: string, scheme: 'Bearer' | 'DPoP' = 'Bearer'): OAuthError {
  if (scheme === 'DPoP') return dpopError('resource', 'invalid_token', description)
  return new OAuthError('invalid_token', description, 401, {
    'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"`,
  })
}

/**
 * RFC 6750 §3.1 403 `insufficient_scope`, challenged in the scheme the token came with: a token
 * sent as `Authorization: DPoP` gets the DPoP challenge with `algs` (RFC 9449 §7.1).
 */
function insufficientScope(scope: string, scheme: 'Bearer' | 'DPoP'): OAuthError {
  const description = `the access token lacks the ${scope} scope`
  const challenge =
    scheme === 'DPoP'
      ? dpopChallenge('insufficient_scope', description, scope)
      : `Bearer error="insufficient_scope", scope="${scope}"`
  return new OAuthError('insufficient_scope', description, 403, { 'WWW-Authenticate': challenge })
}
