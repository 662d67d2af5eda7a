/**
 * The operational role: high-churn state created by the protocol (codes, refresh and
 * reference tokens, consent, device codes, sessions, replay cache).
 *
 * Every record has an `expiresAt`; a store never returns a record at or past it (by the
 * plugin context's clock), whether or not the backend has removed it yet.
 */
import type { DeviceCodeRecord, GrantFilter, PersistedGrant, UserSession } from '../models/grant.ts'

/**
 * The outcome of consuming a one-time record. Of any number of concurrent consumers of one
 * key exactly one sees `consumed`; every other sees `already-consumed` with the record as it
 * was consumed, so core can detect replay and revoke the grant family (RFC 9700 §4.14.2).
 */
export type ConsumeResult<T> =
  | { outcome: 'consumed'; record: T }
  | { outcome: 'already-consumed'; record: T }
  | { outcome: 'not-found' }

export interface PurgeOptions {
  /** Epoch milliseconds: records with `expiresAt <= before` are removed. */
  before: number
  /** Rows removed per statement, so no backend holds a long lock. */
  batchSize: number
}

export interface PersistedGrantStore {
  /** Creates or replaces the grant with this key. */
  store(grant: PersistedGrant): Promise<void>
  /** The grant (consumed or not), or undefined when absent or expired. */
  get(key: string): Promise<PersistedGrant | undefined>
  /** Atomically sets `consumedAt` to now. Expired grants are `not-found`. */
  consume(key: string): Promise<ConsumeResult<PersistedGrant>>
  /** Unexpired grants matching every given field of the filter. Throws on an empty filter. */
  getAll(filter: GrantFilter): Promise<PersistedGrant[]>
  /** Removes grants matching every given field; returns how many. Throws on an empty filter. */
  removeAll(filter: GrantFilter): Promise<number>
  remove(key: string): Promise<boolean>
  /** Removes expired grants in batches; returns how many. */
  purgeExpired(options: PurgeOptions): Promise<number>
}

export interface DeviceCodeStore {
  /** Throws `StoreConflictError` when the device code key or the user code is taken. */
  store(record: DeviceCodeRecord): Promise<void>
  findByDeviceCode(deviceCodeKey: string): Promise<DeviceCodeRecord | undefined>
  findByUserCode(userCode: string): Promise<DeviceCodeRecord | undefined>
  /**
   * Moves a pending, unexpired, unconsumed record to `authorized` (with the subject, session
   * and new data) or `denied`. False when there is no such pending record.
   */
  authorize(
    userCode: string,
    grant: { subjectId: string; sessionId?: string; data: string },
  ): Promise<boolean>
  deny(userCode: string): Promise<boolean>
  /** Atomic, as `PersistedGrantStore.consume`. */
  consume(deviceCodeKey: string): Promise<ConsumeResult<DeviceCodeRecord>>
  remove(deviceCodeKey: string): Promise<boolean>
  purgeExpired(options: PurgeOptions): Promise<number>
}

export interface UserSessionStore {
  /** Throws `StoreConflictError` when the key exists. */
  create(session: UserSession): Promise<void>
  get(key: string): Promise<UserSession | undefined>
  /**
   * The unexpired session with this `sessionId` (the OIDC `sid`), or undefined; matched
   * exactly, as `get` matches its key. Portico gives every session its own random sid, so at
   * most one live session holds it. Required since contract 1 gained it (the admin CLI's
   * `sessions revoke --sid`).
   */
  findBySessionId(sessionId: string): Promise<UserSession | undefined>
  /** Extends an unexpired session; false when it is absent or expired. */
  touch(key: string, renewal: { renewedAt: number; expiresAt: number; data?: string }): Promise<boolean>
  remove(key: string): Promise<boolean>
  /** Unexpired sessions of this subject, oldest first. */
  listBySubject(subjectId: string): Promise<UserSession[]>
  removeBySubject(subjectId: string): Promise<number>
  purgeExpired(options: PurgeOptions): Promise<number>
}

/** Remembers identifiers (a client assertion's `jti`, a DPoP proof) until they expire. */
export interface ReplayCache {
  /** True when the id was new and is now recorded; false when it was already present and unexpired. */
  addIfAbsent(id: string, expiresAt: number): Promise<boolean>
  purgeExpired(options: PurgeOptions): Promise<number>
}

export interface OperationalStores {
  grants: PersistedGrantStore
  deviceCodes: DeviceCodeStore
  sessions: UserSessionStore
  replay: ReplayCache
}
