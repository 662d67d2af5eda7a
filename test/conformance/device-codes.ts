/** RFC 8628 device authorization state: found by either code, decided once, consumed once. */
import { aDeviceCode, largeData, minute, uniqueId } from './fixtures.ts'
import { concurrentConsumers, verifyOneWinner } from './grants.ts'
import type { Harness } from './harness.ts'
import { errorCodes } from './verify.ts'

export function deviceCodeTests<O>(h: Harness<O>): void {
  h.runner.describe('operational: device codes', () => {
    h.test('a record round-trips and is found by device code and by user code', async (s) => {
      const { operational, clock, verify } = s
      const record = aDeviceCode(clock.now(), { data: largeData })
      await operational.deviceCodes.store(record)
      verify.equal(
        await operational.deviceCodes.findByDeviceCode(record.deviceCodeKey),
        record,
        'by device code',
      )
      verify.equal(await operational.deviceCodes.findByUserCode(record.userCode), record, 'by user code')
    })

    h.test('optional fields left out come back absent, not null', async ({ operational, clock, verify }) => {
      const record = aDeviceCode(clock.now())
      await operational.deviceCodes.store(record)
      const found = await operational.deviceCodes.findByDeviceCode(record.deviceCodeKey)
      for (const field of ['subjectId', 'sessionId', 'consumedAt'] as const) {
        verify.absent(found?.[field], `unset optional field ${field} must be undefined`)
      }
    })

    h.test('unknown codes are undefined', async ({ operational, verify }) => {
      verify.absent(await operational.deviceCodes.findByDeviceCode(uniqueId('dc')), 'unknown device code')
      verify.absent(await operational.deviceCodes.findByUserCode(uniqueId('UC')), 'unknown user code')
    })

    h.test(
      'a taken device code or user code throws StoreConflictError',
      async ({ operational, clock, verify }) => {
        const record = aDeviceCode(clock.now())
        await operational.deviceCodes.store(record)
        await verify.rejects(
          () => operational.deviceCodes.store(aDeviceCode(clock.now(), { userCode: record.userCode })),
          'store must throw StoreConflictError when the user code is in use',
          errorCodes.conflict,
        )
        await verify.rejects(
          () =>
            operational.deviceCodes.store(aDeviceCode(clock.now(), { deviceCodeKey: record.deviceCodeKey })),
          'store must throw StoreConflictError when the device code exists',
          errorCodes.conflict,
        )
        verify.equal(
          await operational.deviceCodes.findByUserCode(record.userCode),
          record,
          'the holder is unchanged',
        )
      },
    )

    h.test('expired records are never returned or acted on (context clock)', async (s) => {
      const { operational, clock, verify } = s
      const record = aDeviceCode(clock.now(), { expiresAt: clock.now() + minute })
      await operational.deviceCodes.store(record)
      clock.advance(minute - 1)
      verify.equal(await operational.deviceCodes.findByUserCode(record.userCode), record, 'alive 1 ms before')
      clock.advance(1)
      const { deviceCodes } = operational
      verify.absent(await deviceCodes.findByDeviceCode(record.deviceCodeKey), 'expired: findByDeviceCode')
      verify.absent(await deviceCodes.findByUserCode(record.userCode), 'expired: findByUserCode')
      verify.same(
        await deviceCodes.authorize(record.userCode, { subjectId: 's', data: '{}' }),
        false,
        'an expired record cannot be authorized',
      )
      verify.same(await deviceCodes.deny(record.userCode), false, 'an expired record cannot be denied')
      verify.equal(
        await deviceCodes.consume(record.deviceCodeKey),
        { outcome: 'not-found' },
        'expired: consume',
      )
    })

    h.test('authorize moves a pending record to authorized with subject, session and data', async (s) => {
      const { operational, clock, verify } = s
      const record = aDeviceCode(clock.now())
      await operational.deviceCodes.store(record)
      const grant = { subjectId: uniqueId('sub'), sessionId: uniqueId('sid'), data: '{"granted":["openid"]}' }
      verify.same(
        await operational.deviceCodes.authorize(record.userCode, grant),
        true,
        'authorize a pending code',
      )
      const authorized = { ...record, ...grant, status: 'authorized' }
      verify.equal(
        await operational.deviceCodes.findByDeviceCode(record.deviceCodeKey),
        authorized,
        'the device sees the authorization when it polls',
      )
      verify.same(
        await operational.deviceCodes.authorize(record.userCode, { ...grant, subjectId: 'mallory' }),
        false,
        'an authorized record cannot be authorized again',
      )
      verify.same(
        await operational.deviceCodes.deny(record.userCode),
        false,
        'an authorized record cannot be denied',
      )
      verify.equal(
        await operational.deviceCodes.findByUserCode(record.userCode),
        authorized,
        'a refused decision changes nothing',
      )
    })

    h.test('authorize without a session leaves sessionId absent', async ({ operational, clock, verify }) => {
      const record = aDeviceCode(clock.now())
      await operational.deviceCodes.store(record)
      await operational.deviceCodes.authorize(record.userCode, { subjectId: 'sub', data: '{}' })
      const found = await operational.deviceCodes.findByUserCode(record.userCode)
      verify.same(found?.status, 'authorized', 'authorized')
      verify.absent(found?.sessionId, 'sessionId stays undefined when none was given')
    })

    h.test('deny moves a pending record to denied, once', async ({ operational, clock, verify }) => {
      const record = aDeviceCode(clock.now())
      await operational.deviceCodes.store(record)
      verify.same(await operational.deviceCodes.deny(record.userCode), true, 'deny a pending code')
      verify.equal(
        await operational.deviceCodes.findByDeviceCode(record.deviceCodeKey),
        { ...record, status: 'denied' },
        'the device sees the denial when it polls',
      )
      verify.same(
        await operational.deviceCodes.authorize(record.userCode, { subjectId: 's', data: '{}' }),
        false,
        'a denied record cannot be authorized',
      )
      verify.same(await operational.deviceCodes.deny(uniqueId('UC')), false, 'deny of an unknown user code')
      verify.same(
        await operational.deviceCodes.authorize(uniqueId('UC'), { subjectId: 's', data: '{}' }),
        false,
        'authorize of an unknown user code',
      )
    })

    h.test('a consumed record can no longer be authorized', async ({ operational, clock, verify }) => {
      const record = aDeviceCode(clock.now())
      await operational.deviceCodes.store(record)
      await operational.deviceCodes.consume(record.deviceCodeKey)
      verify.same(
        await operational.deviceCodes.authorize(record.userCode, { subjectId: 's', data: '{}' }),
        false,
        'authorize needs an unconsumed record',
      )
    })

    h.test(
      'consume acts on a pending record too (Portico checks the status before it consumes)',
      async (s) => {
        const { operational, clock, verify } = s
        const record = aDeviceCode(clock.now())
        await operational.deviceCodes.store(record)
        // Moved on, so consumedAt from any clock but the context's shows every time.
        clock.advance(500)
        verify.equal(
          await operational.deviceCodes.consume(record.deviceCodeKey),
          { outcome: 'consumed', record: { ...record, consumedAt: clock.now() } },
          'deviceCodes.consume marks any unexpired, unconsumed record consumed, whatever its status (pending included)',
        )
      },
    )

    h.test('consume marks the record consumed at the context clock, once', async (s) => {
      const { operational, clock, verify } = s
      const record = aDeviceCode(clock.now())
      await operational.deviceCodes.store(record)
      await operational.deviceCodes.authorize(record.userCode, { subjectId: 'sub', data: '{}' })
      const authorized = await operational.deviceCodes.findByDeviceCode(record.deviceCodeKey)
      clock.advance(500)
      const consumedAt = clock.now()
      verify.equal(
        await operational.deviceCodes.consume(record.deviceCodeKey),
        { outcome: 'consumed', record: { ...authorized, consumedAt } },
        'the first consume wins with consumedAt = clock.now()',
      )
      verify.equal(
        await operational.deviceCodes.consume(record.deviceCodeKey),
        { outcome: 'already-consumed', record: { ...authorized, consumedAt } },
        'a later consume is told already-consumed',
      )
      verify.equal(
        await operational.deviceCodes.consume(uniqueId('dc')),
        { outcome: 'not-found' },
        'consume of an unknown device code',
      )
    })

    h.test(
      `${concurrentConsumers} concurrent consume() calls: exactly one consumed, the rest already-consumed`,
      async ({ operational, clock, verify }) => {
        const record = aDeviceCode(clock.now())
        await operational.deviceCodes.store(record)
        await operational.deviceCodes.authorize(record.userCode, { subjectId: 'sub', data: '{}' })
        const results = await Promise.all(
          Array.from({ length: concurrentConsumers }, () =>
            operational.deviceCodes.consume(record.deviceCodeKey),
          ),
        )
        verifyOneWinner(verify, results, 'deviceCodes.consume')
      },
    )

    h.test(
      `${concurrentConsumers} concurrent authorize() and deny() calls: exactly one decision`,
      async ({ operational, clock, verify }) => {
        // RFC 8628 §3.3: the user decides once; two browser tabs must not both succeed.
        const record = aDeviceCode(clock.now())
        await operational.deviceCodes.store(record)
        const results = await Promise.all(
          Array.from({ length: concurrentConsumers }, (_, i) =>
            i % 2 === 0
              ? operational.deviceCodes.authorize(record.userCode, {
                  subjectId: `sub-${i}`,
                  data: `{"i":${i}}`,
                })
              : operational.deviceCodes.deny(record.userCode),
          ),
        )
        verify.same(
          results.filter(Boolean).length,
          1,
          `authorize/deny: exactly one of ${concurrentConsumers} concurrent decisions may succeed`,
        )
        const winner = results.indexOf(true)
        const found = await operational.deviceCodes.findByDeviceCode(record.deviceCodeKey)
        verify.equal(
          found,
          winner % 2 === 0
            ? { ...record, status: 'authorized', subjectId: `sub-${winner}`, data: `{"i":${winner}}` }
            : { ...record, status: 'denied' },
          'the stored record is the one decision that succeeded',
        )
      },
    )

    h.test('remove deletes the record under both codes and frees the user code', async (s) => {
      const { operational, clock, verify } = s
      const record = aDeviceCode(clock.now())
      await operational.deviceCodes.store(record)
      verify.same(
        await operational.deviceCodes.remove(record.deviceCodeKey),
        true,
        'remove an existing record',
      )
      verify.absent(
        await operational.deviceCodes.findByDeviceCode(record.deviceCodeKey),
        'gone by device code',
      )
      verify.absent(await operational.deviceCodes.findByUserCode(record.userCode), 'gone by user code')
      verify.same(
        await operational.deviceCodes.remove(record.deviceCodeKey),
        false,
        'a second remove is false',
      )
      const successor = aDeviceCode(clock.now(), { userCode: record.userCode })
      await operational.deviceCodes.store(successor)
      verify.equal(
        await operational.deviceCodes.findByUserCode(record.userCode),
        successor,
        'a removed record frees its user code',
      )
    })
  })
}
