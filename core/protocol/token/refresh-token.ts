/**
 * RFC 6749 §6 refresh token grant with IdentityServer's usages: `oneTimeOnly` rotates the token
 * through the store's atomic consume, and using a rotated token again revokes its whole family
 * (RFC 9700 §4.14.2); `reUse` keeps the handle. Expiry is absolute or sliding; the scope may be
 * narrowed, never widened; a user or client that is gone or disabled ends the grant.
 */
import type { PersistedGrant } from '../../models/grant.ts'
import { refreshTokenBinding } from '../dpop/token-request.ts'
import { OAuthError } from '../errors.ts'
import { narrowedAudience } from '../resource-validation.ts'
import { parseScope } from '../scopes.ts'
import { refreshTokenType, revokeFamily } from '../tokens/grant-family.ts'
import {
  readRefreshTokenData,
  refreshTokenExpiry,
  refreshTokenKey,
  storeRefreshToken,
} from '../tokens/refresh-token.ts'
import { accessTokenClaimNames, pickClaims } from '../user-claims.ts'
import { activeUserClaims } from '../user-profile.ts'
import type { GrantHandler, TokenRequestContext } from './grant-handlers.ts'
import { identityOf, issueUserTokens } from './user-tokens.ts'

const invalid = (description: string) => new OAuthError('invalid_grant', description)

export const refreshTokenGrant: GrantHandler = {
  grantType: refreshTokenType,
  async handle(context) {
    const { client, params, issuer, services, dpop } = context
    const identity = identityOf(services)
    const handle = params.require('refresh_token')
    const grant = await takeRefreshToken(context, handle)
    const data = readRefreshTokenData(grant)
    if (!data || !grant.subjectId || !grant.sessionId || data.issuer !== issuer) {
      throw invalid('the refresh token is invalid')
    }
    // The client may have lost offline access since (allowOfflineAccess turned off).
    if (!client.allowOfflineAccess) throw invalid('the client may no longer use refresh tokens')
    // Checked before the consume too (takeRefreshToken); again here for a token bound since.
    checkRefreshBinding(data.jkt, dpop)
    const userClaims = await activeUserClaims(identity.users, grant.subjectId, data.userClaims, {
      scopes: data.scopes,
      clientId: client.clientId,
      caller: 'token',
    })
    if (!userClaims) {
      await revokeFamily(services.grants, grant)
      throw invalid('the user is no longer active')
    }

    // RFC 6749 §6: a narrower scope may be asked for; anything beyond the original grant is refused.
    const asked = parseScope(params.get('scope'))
    if (asked?.some((scope) => !data.scopes.includes(scope))) {
      throw new OAuthError('invalid_scope', 'the scope exceeds what was granted')
    }
    const granted = await services.resources.validateScopes(client, asked ?? data.scopes, {
      identityScopes: true,
    })
    const audience = narrowedAudience(granted, params.getAll('resource'), data.resources, issuer)
    const accessTokenClaims = client.updateAccessTokenClaimsOnRefresh
      ? pickClaims(userClaims, accessTokenClaimNames(audience))
      : data.accessTokenClaims
    const response = await issueUserTokens(services, {
      issuer,
      client,
      subjectId: grant.subjectId,
      sessionId: grant.sessionId,
      // OIDC Core §12.2: sub, auth_time and sid stay those of the original authentication.
      authTime: data.authTime,
      amr: data.amr,
      audience,
      userClaims,
      accessTokenClaims,
      dpop,
    })

    const now = services.clock.now()
    const expiresAt = refreshTokenExpiry(client, now, data.absoluteExpiresAt)
    const owner = { clientId: client.clientId, subjectId: grant.subjectId, sessionId: grant.sessionId }
    const kept = {
      ...data,
      accessTokenClaims,
      jkt: data.jkt ?? refreshTokenBinding(context.authenticationMethod, dpop),
    }
    if (client.refreshTokenUsage === 'reUse') {
      // The same handle; a sliding token gets its new expiry.
      if (client.refreshTokenExpiration === 'sliding') {
        await storeRefreshToken(
          services.grants,
          owner,
          kept,
          { now, expiresAt, createdAt: grant.createdAt },
          handle,
        )
      }
      response.refresh_token = handle
    } else {
      response.refresh_token = await storeRefreshToken(services.grants, owner, kept, { now, expiresAt })
    }
    return response
  },
}

/** RFC 9449 §5: a refresh token bound to a DPoP key is used only with a proof by that key. */
function checkRefreshBinding(jkt: string | undefined, dpop: TokenRequestContext['dpop']): void {
  if (jkt !== undefined && jkt !== dpop?.jkt) {
    throw invalid('the refresh token is bound to a DPoP key this request does not prove')
  }
}

/** The refresh token's grant: consumed (oneTimeOnly) or read (reUse), refused in every other case. */
async function takeRefreshToken(context: TokenRequestContext, handle: string): Promise<PersistedGrant> {
  const { client, services } = context
  const key = refreshTokenKey(handle)
  if (client.refreshTokenUsage === 'reUse') {
    const grant = await services.grants.get(key)
    if (!grant || grant.type !== refreshTokenType) throw invalid('the refresh token is invalid or expired')
    return ownedBy(grant, context)
  }
  // Only a public client's refresh token is bound (RFC 9449 §5), and a thief needs no secret to
  // present one as a public client. Its binding is checked on a read before the consume, so a
  // thief holding the token but not the key can neither spend the client's one-time token nor,
  // by replaying a rotated one or naming another client, revoke its family. The binding of a
  // stored token never changes, so the consume that follows stays the one atomic step.
  if (context.authenticationMethod === 'none') {
    const stored = await services.grants.get(key)
    if (stored?.type === refreshTokenType)
      checkRefreshBinding(readRefreshTokenData(stored)?.jkt, context.dpop)
  }
  const consumed = await services.grants.consume(key)
  if (consumed.outcome === 'not-found' || consumed.record.type !== refreshTokenType) {
    throw invalid('the refresh token is invalid or expired')
  }
  const grant = consumed.record
  if (consumed.outcome === 'already-consumed') {
    // RFC 9700 §4.14.2: a rotated token used again means one of its holders is not the client.
    await revokeFamily(services.grants, grant)
    services.logger.warn('refresh_token.reused', { client_id: grant.clientId })
    throw invalid('the refresh token was already used')
  }
  return ownedBy(grant, context)
}

/** The grant when it belongs to the calling client; presented by another, it was stolen and its family ends. */
async function ownedBy(
  grant: PersistedGrant,
  { client, services }: TokenRequestContext,
): Promise<PersistedGrant> {
  if (grant.clientId === client.clientId) return grant
  await revokeFamily(services.grants, grant)
  throw invalid('the refresh token was not issued to this client')
}
