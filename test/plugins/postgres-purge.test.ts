/**
 * The Postgres purge of a large backlog: every expired grant goes and no live one, in batches,
 * even when the whole purge lasts longer than the plugin's call deadline (`queryTimeout`),
 * which bounds each batch's statement, not the loop (a backlog is no outage).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import type { PluginInstance } from '../../core/stores/contract.ts'
import postgresPlugin from '../../plugins/postgres/index.ts'

const url = process.env.PORTICO_TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test'
const schema = `portico_purge_${randomBytes(4).toString('hex')}`
const sql = postgres(url, { max: 1, onnotice: () => {} })
let instance: PluginInstance

beforeAll(async () => {
  instance = await postgresPlugin.create(
    { url, schema, queryTimeout: 1 },
    { roles: ['operational'], clock: systemClock, logger: silentLogger },
  )
  await instance.migrate!()
}, 30_000)

afterAll(async () => {
  await instance?.close()
  await sql.unsafe(`drop schema if exists "${schema}" cascade`)
  await sql.end()
})

test('a backlog longer than queryTimeout is purged whole, live grants kept', async () => {
  const now = Date.now()
  // 60,000 grants, odd ones expired: with batches of 20, 1,500 statements (seconds even on a
  // quiet machine, beyond the 1 s call deadline).
  await sql.unsafe(
    `insert into "${schema}".persisted_grants (key, type, subject_id, client_id, created_at, expires_at, data)
     select md5(i::text), 'refresh_token', 's' || (i % 100), 'c', ${now - 60_000},
            case when i % 2 = 0 then ${now + 3_600_000} else ${now - 1000} - i end, '{}'
     from generate_series(0, 59999) as i`,
  )
  const started = performance.now()
  const purged = await instance.operational!.grants.purgeExpired({ before: now, batchSize: 20 })
  const seconds = (performance.now() - started) / 1000
  expect(purged).toBe(30_000)
  const [{ left, live }] = (await sql.unsafe(
    `select count(*) filter (where expires_at <= ${now})::int as left, count(*) filter (where expires_at > ${now})::int as live
     from "${schema}".persisted_grants`,
  )) as unknown as [{ left: number; live: number }]
  expect(left).toBe(0)
  expect(live).toBe(30_000)
  // Not a timing assertion: it says whether this run exercised the deadline at all.
  console.log(`purged 30,000 in ${seconds.toFixed(1)} s (queryTimeout 1 s)`)
}, 120_000)
