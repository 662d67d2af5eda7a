/**
 * purgeExpired on every operational store: removes records with `expiresAt <= before` (and
 * only those), loops until done when there are more than `batchSize`, and reports the count.
 */
import type { PurgeOptions } from '../../core/index.ts'
import { aDeviceCode, aGrant, aSession, hour, minute, uniqueId } from './fixtures.ts'
import type { Harness, Stores } from './harness.ts'

interface Purgeable {
  name: string
  /** Adds a record expiring at `expiresAt`; returns a probe for `alive`. */
  add(stores: Stores, expiresAt: number): Promise<string>
  alive(stores: Stores, probe: string): Promise<boolean>
  purge(stores: Stores, options: PurgeOptions): Promise<number>
}

const purgeables: Purgeable[] = [
  {
    name: 'grants',
    async add({ operational, clock }, expiresAt) {
      const grant = aGrant(clock.now(), { expiresAt })
      await operational.grants.store(grant)
      return grant.key
    },
    alive: async ({ operational }, key) => (await operational.grants.get(key)) !== undefined,
    purge: ({ operational }, options) => operational.grants.purgeExpired(options),
  },
  {
    name: 'device codes',
    async add({ operational, clock }, expiresAt) {
      const record = aDeviceCode(clock.now(), { expiresAt })
      await operational.deviceCodes.store(record)
      return record.deviceCodeKey
    },
    alive: async ({ operational }, key) =>
      (await operational.deviceCodes.findByDeviceCode(key)) !== undefined,
    purge: ({ operational }, options) => operational.deviceCodes.purgeExpired(options),
  },
  {
    name: 'sessions',
    async add({ operational, clock }, expiresAt) {
      const session = aSession(clock.now(), { expiresAt })
      await operational.sessions.create(session)
      return session.key
    },
    alive: async ({ operational }, key) => (await operational.sessions.get(key)) !== undefined,
    purge: ({ operational }, options) => operational.sessions.purgeExpired(options),
  },
  {
    name: 'replay cache',
    async add({ operational }, expiresAt) {
      const id = uniqueId('jti')
      await operational.replay.addIfAbsent(id, expiresAt)
      return id
    },
    alive: async ({ operational, clock }, id) =>
      !(await operational.replay.addIfAbsent(id, clock.now() + hour)),
    purge: ({ operational }, options) => operational.replay.purgeExpired(options),
  },
]

const expiring = 23
const onTheBoundary = 2
const surviving = 5
const batchSize = 4

export function purgeTests<O>(h: Harness<O>): void {
  h.runner.describe('operational: purgeExpired', () => {
    for (const store of purgeables) {
      h.test(
        `${store.name}: removes only expired records, in batches of ${batchSize}, and counts them`,
        async (stores) => {
          const { clock, verify } = stores
          const start = clock.now()
          // Real TTLs of a minute or more, so a native-TTL backend does not expire them mid-test.
          const doomed: string[] = []
          for (let i = 0; i < expiring; i++) doomed.push(await store.add(stores, start + minute + i))
          for (let i = 0; i < onTheBoundary; i++) doomed.push(await store.add(stores, start + 2 * minute))
          const kept: string[] = []
          for (let i = 0; i < surviving; i++) kept.push(await store.add(stores, start + hour))

          verify.same(
            await store.purge(stores, { before: start, batchSize }),
            0,
            `${store.name}.purgeExpired must remove nothing when no record expires by \`before\``,
          )
          clock.advance(2 * minute)
          verify.same(
            await store.purge(stores, { before: clock.now(), batchSize }),
            expiring + onTheBoundary,
            `${store.name}.purgeExpired must remove every record with expiresAt <= before, looping over batches of ${batchSize}, and return the total`,
          )
          for (const probe of kept) {
            verify.same(
              await store.alive(stores, probe),
              true,
              `${store.name}.purgeExpired must keep unexpired records`,
            )
          }
          verify.same(
            await store.purge(stores, { before: clock.now(), batchSize }),
            0,
            `${store.name}.purgeExpired: a second run finds nothing left`,
          )
          for (const probe of doomed) {
            verify.same(await store.alive(stores, probe), false, `${store.name}: purged records stay gone`)
          }
        },
      )
    }
  })
}
