import { latestExpiresAt } from '../../core/index.ts'
import { aDeviceCode, aGrant, aSession, minute, uniqueId } from './fixtures.ts'
import type { Harness, Stores } from './harness.ts'
import { errorCodes } from './verify.ts'

/**
 * Expiry times a store cannot hold exactly. They reach stores from requests (a client
 * assertion's `exp` of 1e17 seconds), so a store refuses them with `ExpiryOutOfRangeError`,
 * or clamps them and keeps the record live; never a raw backend error, never a silent delete.
 */
const unholdable = [Number.NaN, Number.POSITIVE_INFINITY, 1e20, Number.MAX_VALUE, latestExpiresAt + 1]

/** Each write that takes an expiry: writes with `expiresAt`, then whether the record is still there. */
function writes(s: Stores): Record<string, (expiresAt: number) => Promise<() => Promise<boolean>>> {
  const { operational, clock } = s
  const now = clock.now()
  return {
    'grants.store': async (expiresAt) => {
      const grant = aGrant(now, { expiresAt })
      await operational.grants.store(grant)
      return async () => (await operational.grants.get(grant.key)) !== undefined
    },
    'deviceCodes.store': async (expiresAt) => {
      const record = aDeviceCode(now, { expiresAt })
      await operational.deviceCodes.store(record)
      return async () => (await operational.deviceCodes.findByDeviceCode(record.deviceCodeKey)) !== undefined
    },
    'sessions.create': async (expiresAt) => {
      const session = aSession(now, { expiresAt })
      await operational.sessions.create(session)
      return async () => (await operational.sessions.get(session.key)) !== undefined
    },
    'sessions.touch': async (expiresAt) => {
      const session = aSession(now)
      await operational.sessions.create(session)
      await operational.sessions.touch(session.key, { renewedAt: now, expiresAt })
      return async () => (await operational.sessions.get(session.key)) !== undefined
    },
    'replay.addIfAbsent': async (expiresAt) => {
      const id = uniqueId('jti')
      if (!(await operational.replay.addIfAbsent(id, expiresAt))) return async () => false
      return async () => !(await operational.replay.addIfAbsent(id, now + minute))
    },
  }
}

export function expiryTests<O>(h: Harness<O>): void {
  h.runner.describe('operational: expiry times out of range', () => {
    h.test(
      'non-finite or huge expiresAt is refused with ExpiryOutOfRangeError, or clamped and kept',
      async (s) => {
        for (const [write, call] of Object.entries(writes(s))) {
          for (const expiresAt of unholdable) {
            const guarantee = `${write} with expiresAt ${expiresAt}: refused with ${errorCodes.expiryOutOfRange}, or kept live (clamped)`
            let stillThere: (() => Promise<boolean>) | undefined
            try {
              stillThere = await call(expiresAt)
            } catch (error) {
              s.verify.same(
                (error as { code?: unknown } | null)?.code,
                errorCodes.expiryOutOfRange,
                guarantee,
              )
              continue
            }
            s.verify.same(await stillThere(), true, guarantee)
          }
        }
      },
    )
  })
}
