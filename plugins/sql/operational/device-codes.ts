import { and, eq, gt, isNull, lte, or, type SQL } from 'drizzle-orm'
import type { DeviceCodeRecord } from '../../../core/models/grant.ts'
import { checkExpiresAt } from '../../../core/stores/expiry.ts'
import type { DeviceCodeStore } from '../../../core/stores/operational.ts'
import type { SqlContext } from '../context.ts'
import { purgeExpired } from '../purge.ts'
import { present } from '../rows.ts'
import type { DeviceCodeRow } from '../schema.ts'

/** RFC 8628 device authorization state, found by device code digest and by user code. */
export function deviceCodeStore(context: SqlContext): DeviceCodeStore {
  const { db, clock } = context
  const { deviceCodes } = context.tables

  async function find(where: SQL) {
    const [row] = await db
      .select()
      .from(deviceCodes)
      .where(and(where, gt(deviceCodes.expiresAt, clock.now())))
    return row && present(row)
  }

  /** Moves an unexpired, unconsumed pending record to a decision, in one statement. */
  async function decide(userCode: string, decision: Partial<DeviceCodeRow>): Promise<boolean> {
    const decided = await db
      .update(deviceCodes)
      .set(decision)
      .where(
        and(
          eq(deviceCodes.userCode, userCode),
          eq(deviceCodes.status, 'pending'),
          isNull(deviceCodes.consumedAt),
          gt(deviceCodes.expiresAt, clock.now()),
        ),
      )
      .returning({ key: deviceCodes.deviceCodeKey })
    return decided.length > 0
  }

  return {
    async store(record) {
      checkExpiresAt('deviceCodes.store', record.expiresAt)
      // An expired record no longer exists, so it holds neither its key nor its user code.
      await db
        .delete(deviceCodes)
        .where(
          and(
            or(
              eq(deviceCodes.deviceCodeKey, record.deviceCodeKey),
              eq(deviceCodes.userCode, record.userCode),
            ),
            lte(deviceCodes.expiresAt, clock.now()),
          ),
        )
      // A live record with either raises a unique violation: StoreConflictError.
      await db.insert(deviceCodes).values(toRow(record))
    },
    findByDeviceCode: (deviceCodeKey) => find(eq(deviceCodes.deviceCodeKey, deviceCodeKey)),
    findByUserCode: (userCode) => find(eq(deviceCodes.userCode, userCode)),
    authorize: (userCode, grant) =>
      decide(userCode, {
        status: 'authorized',
        subjectId: grant.subjectId,
        sessionId: grant.sessionId ?? null,
        data: grant.data,
      }),
    deny: (userCode) => decide(userCode, { status: 'denied' }),
    async consume(deviceCodeKey) {
      const now = clock.now()
      const [won] = await db
        .update(deviceCodes)
        .set({ consumedAt: now })
        .where(
          and(
            eq(deviceCodes.deviceCodeKey, deviceCodeKey),
            isNull(deviceCodes.consumedAt),
            gt(deviceCodes.expiresAt, now),
          ),
        )
        .returning()
      if (won) return { outcome: 'consumed', record: present(won) }
      const lost = await find(eq(deviceCodes.deviceCodeKey, deviceCodeKey))
      return lost ? { outcome: 'already-consumed', record: lost } : { outcome: 'not-found' }
    },
    async remove(deviceCodeKey) {
      const removed = await db
        .delete(deviceCodes)
        .where(eq(deviceCodes.deviceCodeKey, deviceCodeKey))
        .returning({ key: deviceCodes.deviceCodeKey })
      return removed.length > 0
    },
    purgeExpired: (options) => purgeExpired(context, deviceCodes, deviceCodes.deviceCodeKey, options),
  }
}

function toRow(record: DeviceCodeRecord): DeviceCodeRow {
  return {
    deviceCodeKey: record.deviceCodeKey,
    userCode: record.userCode,
    clientId: record.clientId,
    status: record.status,
    subjectId: record.subjectId ?? null,
    sessionId: record.sessionId ?? null,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    consumedAt: record.consumedAt ?? null,
    data: record.data,
  }
}
