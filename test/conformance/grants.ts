import type { ConsumeResult } from '../../core/index.ts'
import { aGrant, aMinimalGrant, hour, largeData, minute, uniqueId } from './fixtures.ts'
import type { Harness } from './harness.ts'
import type { Verify } from './verify.ts'

export const concurrentConsumers = 50

export function grantTests<O>(h: Harness<O>): void {
  h.runner.describe('operational: persisted grants', () => {
    h.test('a grant round-trips with unicode and 64 KB of data', async ({ operational, clock, verify }) => {
      const grant = aGrant(clock.now(), { data: largeData })
      await operational.grants.store(grant)
      const found = await operational.grants.get(grant.key)
      verify.same(found?.data.length, largeData.length, 'the 64 KB data must come back whole')
      verify.equal(found, grant, 'get must return the grant exactly as stored')
    })

    h.test('optional fields left out come back absent, not null', async ({ operational, clock, verify }) => {
      const grant = aMinimalGrant(clock.now())
      await operational.grants.store(grant)
      const found = await operational.grants.get(grant.key)
      verify.equal(found, grant, 'a grant without subject, session, description round-trips')
      for (const field of ['subjectId', 'sessionId', 'description', 'consumedAt'] as const) {
        verify.absent(found?.[field], `unset optional field ${field} must be undefined`)
      }
    })

    h.test('text holding U+0000 comes back whole, or store() refuses it', async (s) => {
      const { operational, clock, verify } = s
      const grant = aGrant(clock.now(), { description: 'before\u0000after', data: '{"note":"a\u0000b"}' })
      const refused = await operational.grants.store(grant).then(
        () => false,
        () => true,
      )
      if (refused) return
      verify.equal(
        await operational.grants.get(grant.key),
        grant,
        'a grant holding U+0000 must come back exactly (a backend that cannot hold it must refuse the write), never cut short',
      )
    })

    h.test('an unknown key is undefined', async ({ operational, verify }) => {
      verify.absent(await operational.grants.get(uniqueId('nope')), 'get of an unknown key')
    })

    h.test('lookups by a value holding U+0000 find nothing, and never fail', async (s) => {
      const { operational, verify } = s
      // Such values reach stores from requests (a Basic client_id of `%00`, an assertion's jti).
      const odd = uniqueId('a\u0000b')
      verify.absent(await operational.grants.get(odd), 'get of a key holding U+0000')
      verify.equal(await operational.grants.consume(odd), { outcome: 'not-found' }, 'consume of such a key')
      verify.equal(await operational.grants.getAll({ subjectId: odd }), [], 'getAll by such a subject')
      verify.absent(
        await operational.deviceCodes.findByUserCode(odd),
        'findByUserCode of a user code holding U+0000',
      )
      verify.absent(await operational.sessions.get(odd), 'sessions.get of a key holding U+0000')
    })

    h.test('store replaces the grant with the same key', async ({ operational, clock, verify }) => {
      const grant = aGrant(clock.now())
      await operational.grants.store(grant)
      const replacement = { ...aGrant(clock.now()), key: grant.key, data: 'replaced' }
      await operational.grants.store(replacement)
      verify.equal(await operational.grants.get(grant.key), replacement, 'store must replace by key')
    })

    h.test('get never returns an expired grant (context clock)', async ({ operational, clock, verify }) => {
      const grant = aGrant(clock.now(), { expiresAt: clock.now() + minute })
      await operational.grants.store(grant)
      clock.advance(minute - 1)
      verify.equal(await operational.grants.get(grant.key), grant, 'one ms before expiresAt the grant exists')
      clock.advance(1)
      verify.absent(await operational.grants.get(grant.key), 'at expiresAt (by the context clock) it is gone')
      clock.advance(hour)
      verify.absent(await operational.grants.get(grant.key), 'after expiresAt it stays gone')
    })

    h.test('consume marks the grant consumed at the context clock, once', async (s) => {
      const { operational, clock, verify } = s
      const grant = aGrant(clock.now(), { type: 'authorization_code' })
      await operational.grants.store(grant)
      clock.advance(1234)
      const consumedAt = clock.now()
      const first = await operational.grants.consume(grant.key)
      verify.equal(
        first,
        { outcome: 'consumed', record: { ...grant, consumedAt } },
        'the first consume wins and returns the grant with consumedAt = clock.now()',
      )
      clock.advance(1000)
      const second = await operational.grants.consume(grant.key)
      verify.equal(
        second,
        { outcome: 'already-consumed', record: { ...grant, consumedAt } },
        'a later consume is told already-consumed, with the record as it was consumed',
      )
      verify.equal(await operational.grants.get(grant.key), { ...grant, consumedAt }, 'get shows consumedAt')
    })

    h.test('consume of an unknown or expired grant is not-found', async ({ operational, clock, verify }) => {
      verify.equal(
        await operational.grants.consume(uniqueId('nope')),
        { outcome: 'not-found' },
        'unknown key',
      )
      const grant = aGrant(clock.now(), { expiresAt: clock.now() + minute })
      await operational.grants.store(grant)
      clock.advance(minute)
      verify.equal(await operational.grants.consume(grant.key), { outcome: 'not-found' }, 'an expired grant')
    })

    h.test(
      `${concurrentConsumers} concurrent consume() calls: exactly one consumed, the rest already-consumed`,
      async ({ operational, clock, verify }) => {
        const grant = aGrant(clock.now(), { type: 'refresh_token' })
        await operational.grants.store(grant)
        const results = await Promise.all(
          Array.from({ length: concurrentConsumers }, () => operational.grants.consume(grant.key)),
        )
        verifyOneWinner(verify, results, 'grants.consume')
      },
    )

    h.test('remove deletes one grant: true once, then false', async ({ operational, clock, verify }) => {
      const grant = aGrant(clock.now())
      const other = aGrant(clock.now(), { subjectId: grant.subjectId })
      await operational.grants.store(grant)
      await operational.grants.store(other)
      verify.same(await operational.grants.remove(grant.key), true, 'remove of an existing grant')
      verify.absent(await operational.grants.get(grant.key), 'a removed grant is gone')
      verify.same(await operational.grants.remove(grant.key), false, 'a second remove is false')
      verify.equal(await operational.grants.get(other.key), other, 'remove must not touch other grants')
    })

    h.test('values are copied: mutating input or output never changes the store', async (s) => {
      const { operational, clock, verify } = s
      const grant = aGrant(clock.now())
      const expected = structuredClone(grant)
      await operational.grants.store(grant)
      grant.data = 'changed'
      const found = await operational.grants.get(grant.key)
      if (found) found.expiresAt += hour
      verify.equal(await operational.grants.get(grant.key), expected, 'stored grant changed')
    })
  })
}

/** Of N concurrent consumers exactly one sees `consumed`; every other sees `already-consumed`. */
export function verifyOneWinner<T extends { consumedAt?: number }>(
  verify: Verify,
  results: ConsumeResult<T>[],
  what: string,
): void {
  const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length
  const tally = `consumed ${count('consumed')}, already-consumed ${count('already-consumed')}, not-found ${count('not-found')}`
  verify.same(
    count('consumed'),
    1,
    `${what}: exactly one of ${results.length} concurrent callers must win (${tally})`,
  )
  verify.same(
    count('already-consumed'),
    results.length - 1,
    `${what}: every other concurrent caller must be told already-consumed (${tally})`,
  )
  const winner = results.find((r) => r.outcome === 'consumed')
  for (const r of results) {
    if (r.outcome === 'already-consumed' && winner?.outcome === 'consumed') {
      verify.same(
        r.record.consumedAt,
        winner.record.consumedAt,
        `${what}: losers see the record as the winner consumed it`,
      )
    }
  }
}
