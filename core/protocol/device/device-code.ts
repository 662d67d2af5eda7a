/**
 * RFC 8628 device codes as the operational store keeps them. The record outlives the code by a
 * grace period, so a poll after expiry gets `expired_token` (§3.5) rather than an unknown code;
 * the code's own end is in its data.
 */
import type { DeviceCodeRecord } from '../../models/grant.ts'
import { grantKey } from '../../stores/handles.ts'

export const deviceCodeGrantType = 'urn:ietf:params:oauth:grant-type:device_code'
/** How long a record stays after its code expired, to answer expired_token. */
export const expiredGraceMs = 10 * 60 * 1000

export interface DeviceCodeData {
  issuer: string
  /** Scopes asked for (pending) and then granted (authorized). */
  scopes: string[]
  resources: string[]
  /** Seconds between polls. */
  interval: number
  /** Epoch ms when the code stops being usable. */
  expiresAt: number
  /** Filled in when the user approves. */
  authTime?: number
  amr?: string[]
  userClaims?: Record<string, unknown> | undefined
}

export function deviceCodeKey(deviceCode: string): string {
  return grantKey(deviceCode, 'device_code')
}

export function readDeviceCodeData(record: DeviceCodeRecord): DeviceCodeData | undefined {
  try {
    const data = JSON.parse(record.data) as DeviceCodeData
    return Array.isArray(data.scopes) && typeof data.expiresAt === 'number' ? data : undefined
  } catch {
    return undefined
  }
}
