/**
 * The throttle's promise (docs/token-service.md, "Brute-force protection"): an attempt is
 * reserved before the credential is compared, so parallel guesses never get more comparisons
 * than the limit; a success costs a fresh key nothing; no address can clear another's state.
 */
import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { AttemptThrottle } from '../../../core/protocol/throttle/attempt-throttle.ts'
import { TestClock } from '../fixtures.ts'
import { counterBackends, counterFor, useCounterBackend } from './counters.ts'

// Real stores on a shared machine: hundreds of store calls per test.
setDefaultTimeout(30_000)
const rule = { limit: 5, windowSeconds: 300 }
const victim = { key: 'client|198.51.100.1', scope: '198.51.100.1' }

for (const backend of counterBackends) {
  describe(backend.name, () => {
    const { clock, replay } = useCounterBackend(backend)
    let run = 0
    const throttle = () => new AttemptThrottle(counterFor(replay(), rule, clock, `t${run++}`), clock)

    test('300 parallel wrong guesses: at most the limit are compared; the right one at 150 is refused', async () => {
      const t = throttle()
      let compared = 0
      const outcomes = await Promise.all(
        Array.from({ length: 300 }, async (_, i) =>
          t.checkSynchronously(
            () => victim,
            () => {
              compared++
              return i === 150 ? 'token' : undefined
            },
          ),
        ),
      )
      // The first guess of a fresh key is compared without a reservation; its failure then
      // takes an attempt, and every later guess must take one before it is compared.
      expect(compared).toBe(rule.limit)
      expect(outcomes[150]).toMatchObject({ allowed: false })
      expect(outcomes.filter((o) => o.allowed && o.result !== undefined)).toHaveLength(0)
      const refused = outcomes.find((o) => !o.allowed)
      expect(refused).toMatchObject({ allowed: false })
      expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0)
    }, 30_000)

    test('two instances sharing the store: 300 guesses split between them, at most limit + 2 compared', async () => {
      if (!replay()) return // the in-memory counter is per instance by design
      const name = `pair${run++}`
      const instances = [0, 1].map(() => new AttemptThrottle(counterFor(replay(), rule, clock, name), clock))
      let compared = 0
      const outcomes = await Promise.all(
        Array.from({ length: 300 }, async (_, i) =>
          instances[i % 2]!.checkSynchronously(
            () => victim,
            () => {
              compared++
              return i === 151 ? 'token' : undefined
            },
          ),
        ),
      )
      // docs/token-service.md: limit + N over N instances; each one's first, fresh guess is
      // compared before its take reaches the store, which may answer it after the last slot went.
      expect(compared).toBeLessThanOrEqual(rule.limit + 2)
      expect(outcomes[151]).toMatchObject({ allowed: false })
    }, 30_000)

    test('100 parallel reservations of a marked key: exactly the limit are admitted', async () => {
      const t = throttle()
      const first = await t.reserve(victim)
      if (!first.allowed) throw new Error('the first attempt of a fresh key is admitted')
      await first.failed()
      const reservations = await Promise.all(Array.from({ length: 100 }, () => t.reserve(victim)))
      // The first failure took one attempt of the window.
      expect(reservations.filter((r) => r.allowed)).toHaveLength(rule.limit - 1)
    }, 30_000)

    test('a valid caller that never fails takes no attempt, however busy', async () => {
      const counted = counterFor(replay(), { limit: 2, windowSeconds: 300 }, clock, `busy${run++}`)
      let takes = 0
      const take = counted.take.bind(counted)
      counted.take = (key, scope) => {
        takes++
        return take(key, scope)
      }
      const t = new AttemptThrottle(counted, clock)
      for (let i = 0; i < 100; i++) {
        expect(
          await t.checkSynchronously(
            () => victim,
            () => 'ok',
          ),
        ).toEqual({ allowed: true, result: 'ok' })
      }
      expect(takes).toBe(0)
    })

    test('a success after a failure clears the mark: later successes take nothing', async () => {
      const t = throttle()
      expect(
        await t.checkSynchronously(
          () => victim,
          () => undefined,
        ),
      ).toEqual({
        allowed: true,
        result: undefined,
      })
      for (let i = 0; i < 3 * rule.limit; i++) {
        expect(
          await t.checkSynchronously(
            () => victim,
            () => 'ok',
          ),
        ).toMatchObject({ allowed: true })
      }
    })

    test('refused until the window ends, then allowed again', async () => {
      const t = throttle()
      for (let i = 0; i < rule.limit; i++)
        await t.checkSynchronously(
          () => victim,
          () => undefined,
        )
      const refused = await t.checkSynchronously(
        () => victim,
        () => 'ok',
      )
      if (refused.allowed) throw new Error('expected a refusal')
      clock.advance(refused.retryAfterSeconds * 1000)
      expect(
        await t.checkSynchronously(
          () => victim,
          () => 'ok',
        ),
      ).toEqual({ allowed: true, result: 'ok' })
    })

    // Each flooded id writes a slot: 20,000 on memory and Redis, 2,000 on the SQL stores (seconds).
    const flood = /libsql|postgres/.test(backend.name) ? 2_000 : 20_000
    test(`${flood} client ids flooded from address A do not clear address B's lockout`, async () => {
      const t = throttle()
      for (let i = 0; i <= rule.limit; i++)
        await t.checkSynchronously(
          () => victim,
          () => undefined,
        )
      const attacker = '203.0.113.66'
      for (let i = 0; i < flood; i += 500) {
        await Promise.all(
          Array.from({ length: 500 }, (_, j) =>
            t.checkSynchronously(
              () => ({ key: `c${i + j}|${attacker}`, scope: attacker }),
              () => undefined,
            ),
          ),
        )
      }
      expect(
        await t.checkSynchronously(
          () => victim,
          () => 'ok',
        ),
      ).toMatchObject({ allowed: false })
    }, 120_000)
  })
}

describe('memory bounds', () => {
  test('a flood of addresses pools the newcomers and leaves every tracked lockout in place', async () => {
    const clock = new TestClock(1_800_000_000_000)
    const bounds = { keysPerScope: 4, scopes: 10 }
    const t = new AttemptThrottle(counterFor(undefined, rule, clock), clock, bounds)
    for (let i = 0; i <= rule.limit; i++)
      t.checkSynchronously(
        () => victim,
        () => undefined,
      )
    for (let i = 0; i < 5_000; i++) {
      const address = `2001:db8::${i.toString(16)}`
      t.checkSynchronously(
        () => ({ key: `c|${address}`, scope: address }),
        () => undefined,
      )
    }
    expect(
      t.checkSynchronously(
        () => victim,
        () => 'ok',
      ),
    ).toMatchObject({ allowed: false })
    // A newcomer while the table is full is pooled, never forgotten: its failures still count.
    const late = { key: 'late|192.0.2.200', scope: '192.0.2.200' }
    for (let i = 0; i < rule.limit; i++)
      t.checkSynchronously(
        () => late,
        () => undefined,
      )
    expect(
      t.checkSynchronously(
        () => late,
        () => 'ok',
      ),
    ).toMatchObject({ allowed: false })
  })
})
