import type { DeviceCodeRecord } from '../../core/models/grant.ts'
import { StoreConflictError } from '../../core/stores/errors.ts'
import { checkExpiresAt } from '../../core/stores/expiry.ts'
import type { DeviceCodeStore } from '../../core/stores/operational.ts'
import { copy, type MemoryLifecycle, purgeMap } from './lifecycle.ts'

/** RFC 8628 device authorization state, indexed by device code key and by user code. */
export function memoryDeviceCodeStore(life: MemoryLifecycle): DeviceCodeStore {
  const records = new Map<string, DeviceCodeRecord>()
  /** userCode -> deviceCodeKey */
  const byUserCode = new Map<string, string>()

  function live(deviceCodeKey: string | undefined): DeviceCodeRecord | undefined {
    const record = deviceCodeKey === undefined ? undefined : records.get(deviceCodeKey)
    return record && !life.isExpired(record) ? record : undefined
  }

  function drop(deviceCodeKey: string): boolean {
    const record = records.get(deviceCodeKey)
    if (!record) return false
    records.delete(deviceCodeKey)
    if (byUserCode.get(record.userCode) === deviceCodeKey) byUserCode.delete(record.userCode)
    return true
  }

  /** The pending, unexpired, unconsumed record for a user code: the only one a user may decide on. */
  function pending(userCode: string): DeviceCodeRecord | undefined {
    const record = live(byUserCode.get(userCode))
    return record?.status === 'pending' && record.consumedAt === undefined ? record : undefined
  }

  return {
    async store(record) {
      life.assertOpen()
      checkExpiresAt('deviceCodes.store', record.expiresAt)
      // Expired records no longer exist, so their codes are free again.
      if (live(record.deviceCodeKey)) throw new StoreConflictError('device code already exists')
      if (live(byUserCode.get(record.userCode))) throw new StoreConflictError('user code is in use')
      drop(record.deviceCodeKey)
      const stale = byUserCode.get(record.userCode)
      if (stale !== undefined) drop(stale)
      records.set(record.deviceCodeKey, copy(record))
      byUserCode.set(record.userCode, record.deviceCodeKey)
    },
    async findByDeviceCode(deviceCodeKey) {
      life.assertOpen()
      const record = live(deviceCodeKey)
      return record && copy(record)
    },
    async findByUserCode(userCode) {
      life.assertOpen()
      const record = live(byUserCode.get(userCode))
      return record && copy(record)
    },
    async authorize(userCode, grant) {
      life.assertOpen()
      const record = pending(userCode)
      if (!record) return false
      record.status = 'authorized'
      record.subjectId = grant.subjectId
      if (grant.sessionId === undefined) delete record.sessionId
      else record.sessionId = grant.sessionId
      record.data = grant.data
      return true
    },
    async deny(userCode) {
      life.assertOpen()
      const record = pending(userCode)
      if (!record) return false
      record.status = 'denied'
      return true
    },
    async consume(deviceCodeKey) {
      life.assertOpen()
      // No await between the check and the write: one JS turn, so exactly one caller wins.
      const record = live(deviceCodeKey)
      if (!record) return { outcome: 'not-found' }
      if (record.consumedAt !== undefined) return { outcome: 'already-consumed', record: copy(record) }
      record.consumedAt = life.clock.now()
      return { outcome: 'consumed', record: copy(record) }
    },
    async remove(deviceCodeKey) {
      life.assertOpen()
      return drop(deviceCodeKey)
    },
    async purgeExpired({ before, batchSize }) {
      life.assertOpen()
      return purgeMap(records, before, batchSize, (key, record) => {
        if (byUserCode.get(record.userCode) === key) byUserCode.delete(record.userCode)
      })
    },
  }
}
