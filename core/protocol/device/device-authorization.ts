/**
 * RFC 8628 §3.1–3.2 device authorization endpoint: an authenticated (or public) client asks for
 * a device code and a user code; nothing is decided until the user approves on the
 * verification page.
 */
import type { Clock } from '../../clock.ts'
import { isStoreConflict } from '../../stores/errors.ts'
import { createHandle } from '../../stores/handles.ts'
import type { DeviceCodeStore } from '../../stores/operational.ts'
import {
  assertionAudiences,
  type ClientAuthenticator,
  type CredentialSource,
} from '../client-authentication.ts'
import type { ConfigurationCache } from '../configuration-cache.ts'
import { OAuthError } from '../errors.ts'
import { selectAudience } from '../resource-validation.ts'
import { parseScope } from '../scopes.ts'
import { type DeviceCodeData, deviceCodeGrantType, deviceCodeKey, expiredGraceMs } from './device-code.ts'
import { createUserCode, formatUserCode } from './user-code.ts'

export interface DeviceAuthorizationRequest extends CredentialSource {
  issuer: string
  endpointUrl: string
}

/** RFC 8628 §3.2. */
export interface DeviceAuthorizationResponse {
  device_code: string
  user_code: string
  verification_uri: string
  verification_uri_complete: string
  expires_in: number
  interval: number
}

export const verificationPath = '/device'
/** RFC 8628 §3.2: 5 seconds unless said otherwise. */
export const defaultPollingInterval = 5

export interface DeviceAuthorizationOptions {
  authenticator: ClientAuthenticator
  configuration: ConfigurationCache
  deviceCodes: DeviceCodeStore
  clock: Clock
}

export class DeviceAuthorizationEndpoint {
  constructor(private readonly options: DeviceAuthorizationOptions) {}

  async handle(request: DeviceAuthorizationRequest): Promise<DeviceAuthorizationResponse> {
    const { client } = await this.options.authenticator.authenticate(
      request,
      assertionAudiences(request.issuer, request.endpointUrl),
    )
    if (!client.allowedGrantTypes.includes(deviceCodeGrantType)) {
      throw new OAuthError('unauthorized_client', 'the client may not use the device flow')
    }
    const scopes = parseScope(request.params.get('scope'))
    if (scopes === undefined) throw new OAuthError('invalid_scope', 'the scope parameter is missing')
    const granted = await this.options.configuration.validateScopes(client, scopes, { identityScopes: true })
    const resources = request.params.getAll('resource')
    const requested = selectAudience(granted, resources, request.issuer)

    const now = this.options.clock.now()
    const lifetime = client.deviceCodeLifetime
    const data: DeviceCodeData = {
      issuer: request.issuer,
      scopes: requested.scopes,
      resources,
      interval: defaultPollingInterval,
      expiresAt: now + lifetime * 1000,
    }
    const deviceCode = createHandle(32)
    const userCode = await this.storeWithFreshUserCode(deviceCode, client.clientId, data, now)
    const verificationUri = `${request.issuer}${verificationPath}`
    return {
      device_code: deviceCode,
      user_code: formatUserCode(userCode),
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?${new URLSearchParams({ user_code: formatUserCode(userCode) })}`,
      expires_in: lifetime,
      interval: data.interval,
    }
  }

  /** Stores the record; a user code that happens to be live already is drawn again. */
  private async storeWithFreshUserCode(
    deviceCode: string,
    clientId: string,
    data: DeviceCodeData,
    now: number,
  ): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const userCode = createUserCode()
      try {
        await this.options.deviceCodes.store({
          deviceCodeKey: deviceCodeKey(deviceCode),
          userCode,
          clientId,
          status: 'pending',
          createdAt: now,
          expiresAt: data.expiresAt + expiredGraceMs,
          data: JSON.stringify(data),
        })
        return userCode
      } catch (error) {
        if (!isStoreConflict(error) || attempt >= 4) throw error
      }
    }
  }
}
