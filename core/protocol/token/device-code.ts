/**
 * RFC 8628 §3.4–3.5 device access token request: `authorization_pending` until the user
 * decides, `slow_down` when polled faster than the interval, `access_denied` after Deny,
 * `expired_token` after expiry, and tokens exactly once after approval (the store's atomic
 * consume; a poll after success is `invalid_grant`). Any instance answers any poll.
 */
import { deviceCodeGrantType, deviceCodeKey, readDeviceCodeData } from '../device/device-code.ts'
import { refreshTokenBinding } from '../dpop/token-request.ts'
import { OAuthError } from '../errors.ts'
import { narrowedAudience } from '../resource-validation.ts'
import { accessTokenClaimNames, pickClaims } from '../user-claims.ts'
import { activeUserClaims } from '../user-profile.ts'
import type { GrantHandler } from './grant-handlers.ts'
import { identityOf, respondForUser, type UserGrant } from './user-tokens.ts'

/** A poll this much early still counts as on time (clock and network jitter). */
const pollToleranceMs = 250

export const deviceCodeGrant: GrantHandler = {
  grantType: deviceCodeGrantType,
  async handle({ client, params, issuer, services, authenticationMethod, dpop }) {
    const identity = identityOf(services)
    const { deviceCodes, replay } = identity
    if (!deviceCodes || !replay)
      throw new OAuthError('unsupported_grant_type', 'the device flow is not available')
    const key = deviceCodeKey(params.require('device_code'))
    const record = await deviceCodes.findByDeviceCode(key)
    const data = record && readDeviceCodeData(record)
    if (!record || !data || record.clientId !== client.clientId || data.issuer !== issuer) {
      throw new OAuthError('invalid_grant', 'the device code is invalid')
    }
    const now = services.clock.now()
    if (record.consumedAt !== undefined)
      throw new OAuthError('invalid_grant', 'the device code was already used')
    if (now >= data.expiresAt) throw new OAuthError('expired_token', 'the device code has expired')
    if (record.status === 'denied') throw new OAuthError('access_denied', 'the user denied the request')

    // §3.5: one poll per interval, counted where every instance sees it.
    const nextPollAt = now + data.interval * 1000 - pollToleranceMs
    if (!(await replay.addIfAbsent(`device-poll:${key}`, nextPollAt))) {
      throw new OAuthError('slow_down', `poll at most every ${data.interval} seconds`)
    }
    if (record.status === 'pending')
      throw new OAuthError('authorization_pending', 'the user has not decided yet')

    const consumed = await deviceCodes.consume(key)
    if (consumed.outcome !== 'consumed')
      throw new OAuthError('invalid_grant', 'the device code was already used')
    const subjectId = record.subjectId
    if (!subjectId || data.authTime === undefined)
      throw new OAuthError('invalid_grant', 'the device code is invalid')
    const userClaims = await activeUserClaims(identity.users, subjectId, data.userClaims, {
      scopes: data.scopes,
      clientId: client.clientId,
      caller: 'token',
    })
    if (!userClaims) throw new OAuthError('invalid_grant', 'the user is no longer active')

    const granted = await services.resources.validateScopes(client, data.scopes, { identityScopes: true })
    const audience = narrowedAudience(granted, params.getAll('resource'), data.resources, issuer)
    // A device has no browser session; the session of the approving browser names the grant family.
    const sessionId = record.sessionId ?? key
    const userGrant: UserGrant = {
      issuer,
      client,
      subjectId,
      sessionId,
      authTime: data.authTime,
      amr: data.amr ?? [],
      audience,
      userClaims,
      accessTokenClaims: pickClaims(userClaims, accessTokenClaimNames(audience)),
      dpop,
    }
    return respondForUser(services, userGrant, {
      scopes: data.scopes,
      resources: data.resources,
      userClaims: data.userClaims,
      jkt: refreshTokenBinding(authenticationMethod, dpop),
    })
  },
}
