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

    h.test('an id holding U+0000 is remembered whole, or refused with a TypeError', async (s) => {
      const { operational, clock, verify } = s
      // Such ids reach the cache from requests (an assertion's jti) unless core digests them.
      const id = uniqueId('jti\u0000tail')
      let added: boolean
      try {
        added = await operational.replay.addIfAbsent(id, clock.now() + minute)
      } catch (error) {
        verify.same(
          (error as Error).name,
          'TypeError',
          'a cache that cannot hold U+0000 refuses with a TypeError',
        )
        return
      }
      verify.same(added, true, 'a new id holding U+0000 is accepted')
      verify.same(
        await operational.replay.addIfAbsent(id, clock.now() + minute),
        false,
        'and remembered whole',
      )
      verify.same(
        await operational.replay.addIfAbsent(id.replace('\u0000tail', ''), clock.now() + minute),
        true,
        'never cut short at U+0000 (the id without its tail is another id)',
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
