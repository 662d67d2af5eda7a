/**
 * RFC 6749 §4.1.3 authorization code grant: the code is consumed atomically, must have been
 * issued to this client for this redirect URI, and must pass PKCE (RFC 7636 §4.6). Tokens for
 * the user follow (user-tokens.ts), and a refresh token when offline access was consented to.
 */
import { authorizationCodeType, codeKey, readCodeData } from '../authorize/authorization-code.ts'
import { checkCodeVerifier } from '../authorize/pkce.ts'
import { checkCodeBinding } from '../dpop/authorization-binding.ts'
import { refreshTokenBinding } from '../dpop/token-request.ts'
import { OAuthError } from '../errors.ts'
import { narrowedAudience } from '../resource-validation.ts'
import { revokeFamily } from '../tokens/grant-family.ts'
import { accessTokenClaimNames, pickClaims } from '../user-claims.ts'
import { activeUserClaims } from '../user-profile.ts'
import type { GrantHandler } from './grant-handlers.ts'
import { identityOf, respondForUser, type UserGrant } from './user-tokens.ts'

export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',
  async handle({ client, params, issuer, services, authenticationMethod, dpop }) {
    const identity = identityOf(services)
    const code = params.require('code')
    const redirectUri = params.get('redirect_uri')
    const verifier = params.get('code_verifier')
    const consumed = await services.grants.consume(codeKey(code))
    if (consumed.outcome === 'not-found' || consumed.record.type !== authorizationCodeType) {
      throw new OAuthError('invalid_grant', 'the authorization code is invalid or expired')
    }
    const grant = consumed.record
    if (consumed.outcome === 'already-consumed') {
      // RFC 9700 §4.2.4 (and RFC 6749 §4.1.2): a code used twice may have been stolen, so the
      // tokens issued from it are revoked: the family of that client in that session.
      await revokeFamily(services.grants, grant)
      services.logger.warn('authorization_code.replayed', { client_id: grant.clientId })
      throw new OAuthError('invalid_grant', 'the authorization code was already used')
    }
    const data = readCodeData(grant)
    if (grant.clientId !== client.clientId || !data || !grant.subjectId || !grant.sessionId) {
      throw new OAuthError('invalid_grant', 'the authorization code was not issued to this client')
    }
    if (data.issuer !== issuer)
      throw new OAuthError('invalid_grant', 'the authorization code was issued elsewhere')
    // RFC 6749 §4.1.3: identical to the authorization request's redirect_uri.
    if (redirectUri !== data.redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match')
    checkCodeVerifier(data.codeChallenge, verifier)
    checkCodeBinding(data.dpopJkt, dpop)

    const claims = await activeUserClaims(identity.users, grant.subjectId, data.userClaims, {
      scopes: data.scopes,
      clientId: client.clientId,
      caller: 'token',
    })
    if (!claims) throw new OAuthError('invalid_grant', 'the user is no longer active')
    const granted = await services.resources.validateScopes(client, data.scopes, { identityScopes: true })
    const audience = narrowedAudience(granted, params.getAll('resource'), data.resources, issuer)
    const userGrant: UserGrant = {
      issuer,
      client,
      subjectId: grant.subjectId,
      sessionId: grant.sessionId,
      authTime: data.authTime,
      amr: data.amr,
      audience,
      userClaims: claims,
      accessTokenClaims: pickClaims(claims, accessTokenClaimNames(audience)),
      idTokenClaims: data.claims?.idToken,
      nonce: data.nonce,
      dpop,
    }
    return respondForUser(services, userGrant, {
      // The refresh token keeps the whole grant; this token request may have narrowed resources only.
      scopes: data.scopes,
      resources: data.resources,
      userClaims: data.userClaims,
      jkt: refreshTokenBinding(authenticationMethod, dpop),
    })
  },
}
