import { minute, uniqueId } from './fixtures.ts'
import { concurrentConsumers } from './grants.ts'
import type { Harness } from './harness.ts'

export function replayCacheTests<O>(h: Harness<O>): void {
  h.runner.describe('operational: replay cache', () => {
    h.test('addIfAbsent is true for a new id and false while it is remembered', async (s) => {
      const { operational, clock, verify } = s
      const id = uniqueId('jti')
      verify.same(
        await operational.replay.addIfAbsent(id, clock.now() + minute),
        true,
        'a new id is accepted',
      )
      verify.same(
        await operational.replay.addIfAbsent(id, clock.now() + minute),
        false,
        'a replayed id is refused',
      )
      verify.same(
        await operational.replay.addIfAbsent(uniqueId('jti'), clock.now() + minute),
        true,
        'ids are independent',
      )
    })

    h.test('an id is forgotten once it expires (context clock)', async ({ operational, clock, verify }) => {
      const id = uniqueId('jti')
      await operational.replay.addIfAbsent(id, clock.now() + minute)
      clock.advance(minute - 1)
      verify.same(
        await operational.replay.addIfAbsent(id, clock.now() + minute),
        false,
        'remembered until expiry',
      )
      clock.advance(1)
      verify.same(
        await operational.replay.addIfAbsent(id, clock.now() + minute),
        true,
        'free again at expiresAt',
      )
      verify.same(
        await operational.replay.addIfAbsent(id, clock.now() + minute),
        false,
        'and remembered again',
      )
    })

    h.test(`${concurrentConsumers} concurrent addIfAbsent() calls: exactly one true`, async (s) => {
      const { operational, clock, verify } = s
      const id = uniqueId('jti')
      const results = await Promise.all(
        Array.from({ length: concurrentConsumers }, () =>
          operational.replay.addIfAbsent(id, clock.now() + minute),
        ),
      )
      verify.same(
        results.filter(Boolean).length,
        1,
        `addIfAbsent: exactly one of ${concurrentConsumers} concurrent callers may see true`,
      )
    })
  })
}
