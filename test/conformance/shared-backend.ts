/**
 * Several Portico instances share one backend, so one-time operations must be atomic across
 * instances, not only within one: a lock held in the instance's memory is not enough. Two
 * instances are opened on the same options and race each other. A backend that two instances
 * do not share (the memory plugin) has nothing to race, and these tests pass at once for it.
 */
import type { PluginInstance } from '../../core/index.ts'
import { crossProcessTests } from './cross-process.ts'
import { aGrant, aKey, minute, uniqueId } from './fixtures.ts'
import { verifyOneWinner } from './grants.ts'
import type { Harness } from './harness.ts'
import { TestClock } from './test-clock.ts'
import type { Verify } from './verify.ts'

/** Callers per instance. */
const racers = 10

type Pair = [PluginInstance, PluginInstance]

async function withTwoInstances<O>(h: Harness<O>, fn: (pair: Pair, verify: Verify) => Promise<void>) {
  const options = await h.target.options()
  const clock = new TestClock()
  const opened: PluginInstance[] = []
  try {
    for (let i = 0; i < 2; i++) opened.push(await h.create(options, h.roles, clock))
    await opened[0]!.migrate?.()
    await fn(opened as Pair, h.verify)
  } finally {
    for (const instance of opened) await instance.close()
    await h.target.cleanup?.(options)
  }
}

/** Half the calls from each instance, started together. */
function race<T>(pair: Pair, call: (instance: PluginInstance) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: 2 * racers }, (_, i) => call(pair[i % 2]!)))
}

export function sharedBackendTests<O>(h: Harness<O>): void {
  h.runner.describe('two instances on one backend', () => {
    if (h.roles.includes('operational')) {
      h.runner.test(
        `consume() and addIfAbsent() racing from two instances: exactly one winner`,
        () =>
          withTwoInstances(h, async (pair, verify) => {
            const [a, b] = pair
            const now = Date.now()
            const grant = aGrant(now, { type: 'authorization_code' })
            await a.operational!.grants.store(grant)
            if ((await b.operational!.grants.get(grant.key)) === undefined) return // not shared
            verifyOneWinner(
              verify,
              await race(pair, (i) => i.operational!.grants.consume(grant.key)),
              'grants.consume across two instances',
            )
            const jti = uniqueId('jti')
            const added = await race(pair, (i) => i.operational!.replay.addIfAbsent(jti, now + minute))
            verify.same(
              added.filter(Boolean).length,
              1,
              `addIfAbsent: exactly one of ${2 * racers} callers on two instances may see true`,
            )
          }),
        30_000,
      )
    }
    if (h.roles.includes('keys')) {
      h.runner.test(
        'add() and update() racing from two instances: exactly one winner',
        () =>
          withTwoInstances(h, async (pair, verify) => {
            const [a, b] = pair
            const record = aKey(Date.now(), { version: 1 })
            await a.keys!.add(record)
            if (!(await b.keys!.list()).some((r) => r.id === record.id)) return // not shared
            const updated = await race(pair, (i) =>
              i.keys!.update({ ...record, data: uniqueId('u'), version: 2 }, 1),
            )
            verify.same(
              updated.filter(Boolean).length,
              1,
              `update: exactly one of ${2 * racers} compare-and-set writers on two instances wins`,
            )
            const id = uniqueId('kid')
            const addedKeys = await race(pair, (i) => i.keys!.add(aKey(Date.now(), { id })))
            verify.same(
              addedKeys.filter(Boolean).length,
              1,
              `add: exactly one of ${2 * racers} creators of one id on two instances wins`,
            )
          }),
        30_000,
      )
    }
  })
  h.runner.describe('processes on one backend', () => crossProcessTests(h))
}
