/**
 * The user's side of the device flow (RFC 8628 §3.3): find the pending request behind a typed
 * user code, carry it through login sealed by the key ring (nothing stored for it), and record
 * the user's decision on the record every instance polls.
 */
import type { Clock } from '../../clock.ts'
import type { Client } from '../../models/client.ts'
import type { DeviceCodeRecord } from '../../models/grant.ts'
import type { DeviceCodeStore } from '../../stores/operational.ts'
import { consentedScopes } from '../authorize/consent.ts'
import type { ConfigurationCache } from '../configuration-cache.ts'
import { OAuthError } from '../errors.ts'
import { type Audience, selectAudience } from '../resource-validation.ts'
import type { BrowserSession, DataProtector } from '../session/browser-session.ts'
import { type DeviceCodeData, readDeviceCodeData } from './device-code.ts'
import { normalizeUserCode } from './user-code.ts'

export interface PendingDevice {
  /** Stored form (no dash). */
  userCode: string
  client: Client
  data: DeviceCodeData
  requested: Audience
}

export interface DeviceVerificationOptions {
  deviceCodes: DeviceCodeStore
  configuration: ConfigurationCache
  protector: DataProtector
  clock: Clock
}

const interactionPurpose = 'device-interaction'

export class DeviceVerification {
  constructor(private readonly options: DeviceVerificationOptions) {}

  /** The pending request for what the user typed, or undefined (unknown, decided, expired). */
  async find(input: string | undefined, issuer: string): Promise<PendingDevice | undefined> {
    const userCode = normalizeUserCode(input)
    if (!userCode) return undefined
    const record = await this.options.deviceCodes.findByUserCode(userCode)
    return record ? this.pending(record, issuer) : undefined
  }

  /** The user code sealed for the way through login; it lasts no longer than the code itself. */
  async seal(pending: PendingDevice): Promise<string> {
    const remaining = Math.ceil((pending.data.expiresAt - this.options.clock.now()) / 1000)
    return this.options.protector.protect(interactionPurpose, { u: pending.userCode }, Math.max(1, remaining))
  }

  async open(interaction: string | undefined, issuer: string): Promise<PendingDevice | undefined> {
    if (!interaction) return undefined
    const sealed = await this.options.protector.unprotect<{ u?: unknown }>(interactionPurpose, interaction)
    return typeof sealed?.u === 'string' ? this.find(sealed.u, issuer) : undefined
  }

  /** Approves with the scopes the user left ticked; false when the request was decided or expired meanwhile. */
  async approve(
    pending: PendingDevice,
    session: BrowserSession,
    ticked: readonly string[],
  ): Promise<boolean> {
    const scopes = consentedScopes(pending.requested, ticked)
    if (scopes.length === 0) return this.deny(pending)
    const data: DeviceCodeData = {
      ...pending.data,
      scopes,
      authTime: session.authTime,
      amr: session.amr,
      userClaims: session.claims,
    }
    return this.options.deviceCodes.authorize(pending.userCode, {
      subjectId: session.subjectId,
      sessionId: session.sessionId,
      data: JSON.stringify(data),
    })
  }

  deny(pending: PendingDevice): Promise<boolean> {
    return this.options.deviceCodes.deny(pending.userCode)
  }

  private async pending(record: DeviceCodeRecord, issuer: string): Promise<PendingDevice | undefined> {
    const data = readDeviceCodeData(record)
    if (!data || record.status !== 'pending' || record.consumedAt !== undefined) return undefined
    if (data.issuer !== issuer || this.options.clock.now() >= data.expiresAt) return undefined
    const client = await this.options.configuration.findClient(record.clientId)
    if (!client?.enabled) return undefined
    try {
      const granted = await this.options.configuration.validateScopes(client, data.scopes, {
        identityScopes: true,
      })
      return {
        userCode: record.userCode,
        client,
        data,
        requested: selectAudience(granted, data.resources, issuer),
      }
    } catch (error) {
      // The client's configuration changed since: its scopes no longer hold, so the request is void.
      if (error instanceof OAuthError) return undefined
      throw error
    }
  }
}
