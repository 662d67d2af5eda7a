/** The key ring's store: add fails on an existing id, update is compare-and-set on `version`. */
import { compareCodePoints } from '../../core/index.ts'
import { aKey, largeData, textOrderSample, uniqueId } from './fixtures.ts'
import type { Harness } from './harness.ts'

export const racingWriters = 10

export function keyTests<O>(h: Harness<O>): void {
  h.runner.describe('keys', () => {
    h.test('records round-trip (64 KB data) and list orders by createdAt then id', async (s) => {
      const { keys, clock, verify } = s
      const now = clock.now()
      const records = [
        aKey(now, { id: 'kid-b', createdAt: now - 1000, data: largeData }),
        aKey(now, { id: 'kid-c', createdAt: now - 5000, use: 'data-protection', algorithm: 'A256GCM' }),
        aKey(now, { id: 'kid-a', createdAt: now - 1000, use: 'state', version: 7 }),
      ]
      for (const record of records) verify.same(await keys.add(record), true, 'add of a new id is true')
      verify.equal(
        await keys.list(),
        [records[1], records[2], records[0]],
        'list returns every record unchanged, ordered by createdAt then id',
      )
    })

    h.test('list orders ids of one createdAt by Unicode code point, non-ASCII included', async (s) => {
      const { keys, clock, verify } = s
      const now = clock.now()
      for (const id of textOrderSample) await keys.add(aKey(now, { id, createdAt: now }))
      verify.equal(
        (await keys.list()).map((record) => record.id),
        [...textOrderSample].sort(compareCodePoints),
        'keys.list orders records of one createdAt by id in code point order (an emoji after U+FF5E, unlike JavaScript’s <; not a locale collation)',
      )
    })

    h.test('key material holding U+0000 comes back whole, or add() refuses it', async (s) => {
      const { keys, clock, verify } = s
      const record = aKey(clock.now(), { data: 'encrypted:\u0000tail' })
      const refused = await keys.add(record).then(
        () => false,
        () => true,
      )
      if (refused) return
      verify.equal(
        await keys.list(),
        [record],
        'a key record holding U+0000 must come back exactly (a backend that cannot hold it must refuse the write), never cut short',
      )
    })

    h.test('add of an existing id is false and writes nothing', async ({ keys, clock, verify }) => {
      const record = aKey(clock.now())
      await keys.add(record)
      verify.same(await keys.add({ ...record, data: 'other' }), false, 'add must refuse an existing id')
      verify.equal(await keys.list(), [record], 'the first record is unchanged')
    })

    h.test('update writes only when the stored version matches', async ({ keys, clock, verify }) => {
      const record = aKey(clock.now(), { version: 3 })
      await keys.add(record)
      const next = { ...record, data: 'rotated', version: 4 }
      verify.same(await keys.update(next, 2), false, 'update with a stale expectedVersion must be false')
      verify.equal(await keys.list(), [record], 'a refused update writes nothing')
      verify.same(await keys.update(next, 3), true, 'update with the stored version must be true')
      verify.equal(await keys.list(), [next], 'the update is stored, version included')
      verify.same(await keys.update({ ...next, version: 5 }, 3), false, 'the old version no longer matches')
      verify.same(await keys.update(aKey(clock.now()), 1), false, 'update of an absent id must be false')
      verify.equal(await keys.list(), [next], 'update of an absent id must not create it')
    })

    h.test(
      `${racingWriters} racing add() calls of one id: exactly one wins`,
      async ({ keys, clock, verify }) => {
        const id = uniqueId('kid')
        const candidates = Array.from({ length: racingWriters }, (_, i) =>
          aKey(clock.now(), { id, data: `c${i}` }),
        )
        const results = await Promise.all(candidates.map((c) => keys.add(c)))
        verify.same(
          results.filter(Boolean).length,
          1,
          `add: exactly one of ${racingWriters} racing creators wins`,
        )
        const winner = candidates[results.indexOf(true)]
        verify.equal(await keys.list(), [winner], 'the stored record is the winner’s')
      },
    )

    h.test(`${racingWriters} racing update() calls from one version: exactly one wins`, async (s) => {
      const { keys, clock, verify } = s
      const record = aKey(clock.now(), { version: 1 })
      await keys.add(record)
      const candidates = Array.from({ length: racingWriters }, (_, i) => ({
        ...record,
        data: `u${i}`,
        version: 2,
      }))
      const results = await Promise.all(candidates.map((c) => keys.update(c, 1)))
      verify.same(
        results.filter(Boolean).length,
        1,
        `update: exactly one of ${racingWriters} compare-and-set writers from version 1 wins`,
      )
      const winner = candidates[results.indexOf(true)]
      verify.equal(await keys.list(), [winner], 'the stored record is the winner’s')
    })

    h.test('remove deletes a record: true once, then false', async ({ keys, clock, verify }) => {
      const record = aKey(clock.now())
      const other = aKey(clock.now() + 1)
      await keys.add(record)
      await keys.add(other)
      verify.same(await keys.remove(record.id), true, 'remove of an existing id')
      verify.same(await keys.remove(record.id), false, 'a second remove is false')
      verify.equal(await keys.list(), [other], 'other records are untouched')
      verify.same(await keys.add(record), true, 'a removed id may be added again')
    })

    h.test('values are copied: mutating input or output never changes the store', async (s) => {
      const { keys, clock, verify } = s
      const record = aKey(clock.now())
      const expected = structuredClone(record)
      await keys.add(record)
      record.data = 'changed'
      const [listed] = await keys.list()
      if (listed) listed.version = 99
      verify.equal(await keys.list(), [expected], 'stored key record changed')
    })
  })
}
