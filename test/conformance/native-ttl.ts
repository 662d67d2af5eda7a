/**
 * For plugins declaring `capabilities.nativeTtl`: the backend removes records by itself once
 * their real TTL passes. The context clock stays frozen, so only the backend can have removed
 * them.
 */
import { sleep } from './deadline.ts'
import { aDeviceCode, aGrant, aSession, uniqueId } from './fixtures.ts'
import type { Harness } from './harness.ts'

const ttlMs = 1_000
const waitMs = 2_500

export function nativeTtlTests<O>(h: Harness<O>): void {
  h.runner.describe('native TTL', () => {
    h.test(`records expire in the backend by themselves (${ttlMs} ms real TTL, frozen clock)`, async (s) => {
      const { operational, clock, verify } = s
      const expiresAt = clock.now() + ttlMs
      const grant = aGrant(clock.now(), { expiresAt })
      const device = aDeviceCode(clock.now(), { expiresAt })
      const session = aSession(clock.now(), { expiresAt })
      const jti = uniqueId('jti')
      await operational.grants.store(grant)
      await operational.deviceCodes.store(device)
      await operational.sessions.create(session)
      await operational.replay.addIfAbsent(jti, expiresAt)
      verify.equal(await operational.grants.get(grant.key), grant, 'the grant exists before its TTL passes')

      await sleep(waitMs)
      verify.absent(await operational.grants.get(grant.key), 'the backend must expire grants by itself')
      verify.absent(
        await operational.deviceCodes.findByUserCode(device.userCode),
        'the backend must expire device codes (and their user code index) by itself',
      )
      verify.absent(await operational.sessions.get(session.key), 'the backend must expire sessions by itself')
      verify.same(
        await operational.replay.addIfAbsent(jti, clock.now() + ttlMs),
        true,
        'the backend must expire replay-cache ids by itself',
      )
    })
  })
}
