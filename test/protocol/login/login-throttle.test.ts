/**
 * The login form's throttle: per account (whatever address tries it) and per client address
 * (whatever accounts it tries), in memory and over every real store's replay cache.
 */
import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { LoginThrottle } from '../../../core/protocol/login/login-throttle.ts'
import { counterBackends, useCounterBackend } from '../throttle/counters.ts'

// Real stores on a shared machine: hundreds of store calls per test.
setDefaultTimeout(30_000)
const rules = {
  perAccount: { limit: 5, windowSeconds: 900 },
  perAddress: { limit: 50, windowSeconds: 900 },
}

for (const backend of counterBackends) {
  describe(backend.name, () => {
    const { clock, replay } = useCounterBackend(backend)
    const throttle = () => new LoginThrottle({ clock, rules, replay: replay() })
    let n = 0
    const fresh = (prefix: string) => `${prefix}${n++}`

    test('100 parallel reserves for one account (password hashes in flight): exactly the limit are allowed', async () => {
      const t = throttle()
      const username = fresh('alice')
      const reservations = await Promise.all(
        Array.from({ length: 100 }, (_, i) => t.reserve({ username, address: `198.51.100.${i}` })),
      )
      expect(reservations.filter((r) => r.allowed)).toHaveLength(rules.perAccount.limit)
      const refused = reservations.find((r) => !r.allowed)
      expect(refused).toMatchObject({ allowed: false })
      expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0)
      for (const r of reservations) if (r.allowed) await r.failed()
    }, 30_000)

    test('the account is compared case-insensitively: ALICE and alice share one limit', async () => {
      const t = throttle()
      const username = fresh('bob')
      for (let i = 0; i < rules.perAccount.limit; i++) {
        const r = await t.reserve({
          username: i % 2 ? username.toUpperCase() : username,
          address: `192.0.2.${i}`,
        })
        if (!r.allowed) throw new Error('expected an attempt')
        await r.failed()
      }
      expect(await t.reserve({ username: username.toUpperCase(), address: '192.0.2.99' })).toMatchObject({
        allowed: false,
      })
    })

    test('one address sweeping many accounts is stopped at its own limit', async () => {
      const t = throttle()
      const address = '203.0.113.7'
      for (let i = 0; i < rules.perAddress.limit; i++) {
        const r = await t.reserve({ username: fresh('sweep'), address })
        if (!r.allowed) throw new Error(`attempt ${i} refused`)
        await r.failed()
      }
      expect(await t.reserve({ username: fresh('sweep'), address })).toMatchObject({ allowed: false })
      // Another address is not affected.
      expect(await t.reserve({ username: fresh('sweep'), address: '203.0.113.8' })).toMatchObject({
        allowed: true,
      })
    })

    test('many people behind one address signing in at once are never throttled by it', async () => {
      const t = throttle()
      const address = '192.0.2.44'
      // Rounds of overlapping correct logins from one NAT: each reserve is settled only after all began.
      for (let round = 0; round < 4; round++) {
        const reservations = await Promise.all(
          Array.from({ length: 30 }, () => t.reserve({ username: fresh('office'), address })),
        )
        expect(reservations.filter((r) => !r.allowed)).toHaveLength(0)
        for (const r of reservations) if (r.allowed) r.succeeded()
      }
    })

    test('a user who signs in often is never throttled; one failure then a success clears the mark', async () => {
      const t = throttle()
      const username = fresh('carol')
      const first = await t.reserve({ username, address: '198.51.100.20' })
      if (!first.allowed) throw new Error('expected an attempt')
      await first.failed()
      for (let i = 0; i < 3 * rules.perAccount.limit; i++) {
        const r = await t.reserve({ username, address: '198.51.100.20' })
        if (!r.allowed) throw new Error(`sign-in ${i} refused`)
        r.succeeded()
      }
    })

    test('an attempt whose check threw leaves the account fresh for the next one', async () => {
      const t = throttle()
      const username = fresh('erin')
      const first = await t.reserve({ username, address: '198.51.100.40' })
      if (!first.allowed) throw new Error('expected an attempt')
      first.abandoned()
      const calls: string[] = []
      const counted = replay()
      if (counted) {
        const addIfAbsent = counted.addIfAbsent
        counted.addIfAbsent = (id, expiresAt) => {
          calls.push(id)
          return addIfAbsent.call(counted, id, expiresAt)
        }
        try {
          const next = await t.reserve({ username, address: '198.51.100.40' })
          expect(next.allowed).toBe(true)
          // Fresh again: nothing taken before the password is checked.
          expect(calls).toEqual([])
        } finally {
          counted.addIfAbsent = addIfAbsent
        }
      }
    })

    test('locked until the window ends, then allowed', async () => {
      const t = throttle()
      const username = fresh('dave')
      for (let i = 0; i < rules.perAccount.limit; i++) {
        const r = await t.reserve({ username, address: '198.51.100.30' })
        if (r.allowed) await r.failed()
      }
      const locked = await t.reserve({ username, address: '198.51.100.31' })
      if (locked.allowed) throw new Error('expected a refusal')
      clock.advance(locked.retryAfterSeconds * 1000)
      expect(await t.reserve({ username, address: '198.51.100.31' })).toMatchObject({ allowed: true })
    })
  })
}
