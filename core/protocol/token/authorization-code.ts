/**
 * RFC 6749 §4.1.3 authorization code grant: the code is consumed atomically, must have been
 * issued to this client for this redirect URI, and must pass PKCE (RFC 7636 §4.6). Tokens for
 * the user follow: an access token, and an ID Token when `openid` was granted (OIDC Core §3.1.3.3).
 */
import { authorizationCodeType, codeKey, readCodeData } from '../authorize/authorization-code.ts'
import { checkCodeVerifier } from '../authorize/pkce.ts'
import { OAuthError } from '../errors.ts'
import { selectAudience } from '../resource-validation.ts'
import { signIdToken } from '../tokens/id-token.ts'
import { referenceTokenType } from '../tokens/reference-token.ts'
import { pickClaims, releasableClaimNames } from '../user-claims.ts'
import { activeUserClaims } from '../user-profile.ts'
import type { GrantHandler, TokenResponse } from './grant-handlers.ts'

export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',
  async handle({ client, params, issuer, services }) {
    const identity = services.identity
    if (!identity) throw new OAuthError('unsupported_grant_type', 'this server does not sign users in')
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
      // tokens issued from it are revoked: every reference token of that client in that session.
      if (grant.subjectId && grant.sessionId) {
        await services.grants.removeAll({
          subjectId: grant.subjectId,
          clientId: grant.clientId,
          sessionId: grant.sessionId,
          type: referenceTokenType,
        })
      }
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

    const claims = await activeUserClaims(identity.users, grant.subjectId, data.userClaims)
    if (!claims) throw new OAuthError('invalid_grant', 'the user is no longer active')
    const granted = await services.resources.validateScopes(client, data.scopes, { identityScopes: true })
    const resources = params.getAll('resource')
    // RFC 8707 §2.2: the token request may narrow the resources named at the authorize endpoint.
    if (data.resources.length > 0 && resources.some((resource) => !data.resources.includes(resource))) {
      throw new OAuthError('invalid_target', 'resource was not part of the authorization request')
    }
    const audience = selectAudience(granted, resources.length > 0 ? resources : data.resources, issuer)
    const access = await services.accessTokens.issue({
      issuer,
      client,
      granted: audience,
      subjectId: grant.subjectId,
      sessionId: grant.sessionId,
      authTime: data.authTime,
    })
    const response: TokenResponse = {
      access_token: access.accessToken,
      token_type: access.tokenType,
      expires_in: access.expiresIn,
      scope: access.scope,
    }
    if (audience.scopes.includes('openid')) {
      const releasable = releasableClaimNames(audience.identityResources)
      // OIDC Core §5.4: with an access token, scope claims come from userinfo unless the client asks otherwise.
      const names = client.alwaysIncludeUserClaimsInIdToken
        ? releasable
        : (data.claims?.idToken ?? []).filter((name) => releasable.has(name))
      response.id_token = await signIdToken(
        identity.signer,
        {
          issuer,
          client,
          subjectId: grant.subjectId,
          sessionId: grant.sessionId,
          authTime: data.authTime,
          amr: data.amr,
          nonce: data.nonce,
          accessToken: access.accessToken,
          userClaims: pickClaims(claims, names),
          now: services.clock.now(),
        },
        identity.signingAlgorithms,
      )
    }
    return response
  },
}
