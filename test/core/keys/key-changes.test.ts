import { afterEach, expect, test } from 'bun:test'
import type { LogFields, Logger } from '../../../core/logger.ts'
import { backends } from './backends.ts'
import { RingHarness } from './harness.ts'

/** A logger that keeps the events it is given. */
function recording(): { logger: Logger; events: { event: string; fields: LogFields }[] } {
  const events: { event: string; fields: LogFields }[] = []
  const logger: Logger = {
    debug: (event, fields = {}) => events.push({ event, fields }),
    info: (event, fields = {}) => events.push({ event, fields }),
    warn: (event, fields = {}) => events.push({ event, fields }),
    error: (event, fields = {}) => events.push({ event, fields }),
    child: () => logger,
  }
  return { logger, events }
}

const harness = new RingHarness(backends[0]!)
afterEach(() => harness.dispose())

test('an instance logs the signing keys it picks up from the store: added by another, then revoked', async () => {
  const ns = await harness.namespace()
  const a = await harness.ring(ns)
  const { logger, events } = recording()
  const b = await harness.ring(ns, { logger })
  // The first load is not a change.
  expect(events.filter((e) => e.event.startsWith('keys.signing_key'))).toEqual([])

  const [kid] = await a.rotate()
  await b.refresh()
  expect(events.filter((e) => e.event === 'keys.signing_key_added').map((e) => e.fields)).toEqual([
    { kid, alg: 'ES256' },
  ])
  await b.refresh()
  expect(events.filter((e) => e.event === 'keys.signing_key_added')).toHaveLength(1)

  expect(await a.revoke(kid!)).toBe(true)
  await b.refresh()
  expect(events.filter((e) => e.event === 'keys.signing_key_removed').map((e) => e.fields)).toEqual([
    { kid, alg: 'ES256' },
  ])
})
