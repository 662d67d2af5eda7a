/**
 * Postgres grants at size (not a test): fills a fresh schema with 1,000,000 persisted grants
 * across 100,000 subjects and 10,000 clients (half of them expired), then prints p50/p99 of
 * get, consume, getAll by subject and removeAll by session through the plugin, the query plans
 * behind them, and the purge throughput for the expired half: a fifth by the previous statement
 * (the reference, rows named by primary key), the rest by the plugin's purgeExpired while
 * consumes run beside it (their p50/p99/max). The schema is dropped at the end.
 *
 *   bun bench/postgres-grants.ts [--url postgres://root@127.0.0.1:5432/test] [--grants 1000000]
 *     [--subjects 100000] [--clients 10000] [--samples 2000] [--batch 1000]
 */
import { createHash, randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import postgres from 'postgres'
import { systemClock } from '../core/clock.ts'
import { silentLogger } from '../core/logger.ts'
import postgresPlugin from '../plugins/postgres/index.ts'

const { values } = parseArgs({
  options: {
    url: {
      type: 'string',
      default: process.env.PORTICO_TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test',
    },
    grants: { type: 'string', default: '1000000' },
    subjects: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '10000' },
    samples: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '1000' },
  },
})
const total = Number(values.grants)
const subjects = Number(values.subjects)
const clients = Number(values.clients)
const samples = Number(values.samples)
const batchSize = Number(values.batch)
const schema = `portico_bench_${randomBytes(4).toString('hex')}`
const now = Date.now()

/** Grant i: its key is a digest like `grantKey`'s, so keys spread over the index as in production. */
const keyOf = (i: number) => createHash('md5').update(String(i)).digest('hex')
const subjectOf = (i: number) => `s${i % subjects}`
/** Each subject has two login sessions; its grants alternate between them. */
const sessionOf = (i: number) => `sid-${i % subjects}-${Math.floor(i / subjects) % 2}`
/** Even grants are live, odd ones expired an hour ago. */
const isLive = (i: number) => i % 2 === 0

const sql = postgres(values.url, { max: 1, onnotice: () => {} })
const instance = await postgresPlugin.create(
  { url: values.url, schema, poolSize: 4 },
  { roles: ['operational'], clock: systemClock, logger: silentLogger },
)
const { grants } = instance.operational!

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function measure(name: string, n: number, op: (i: number) => Promise<unknown>) {
  const latencies: number[] = []
  for (let i = 0; i < n; i++) {
    const started = performance.now()
    await op(i)
    latencies.push(performance.now() - started)
  }
  latencies.sort((a, b) => a - b)
  const fmt = (ms: number) => `${ms.toFixed(2)} ms`
  console.log(
    `${name.padEnd(28)} n=${n}  p50 ${fmt(percentile(latencies, 50))}  p99 ${fmt(percentile(latencies, 99))}  max ${fmt(latencies.at(-1)!)}`,
  )
}

/** A random grant index with the given liveness, distinct per call. */
function sampler(live: boolean) {
  const used = new Set<number>()
  return () => {
    for (;;) {
      let i = Math.floor(Math.random() * total)
      if (isLive(i) !== live) i = (i + 1) % total
      if (!used.has(i)) {
        used.add(i)
        return i
      }
    }
  }
}

async function plan(query: string) {
  const rows = await sql.unsafe(`explain ${query}`)
  return rows.map((row) => Object.values(row)[0]).join(' / ')
}

try {
  await instance.migrate!()
  console.log(`schema ${schema}: ${total} grants, ${subjects} subjects, ${clients} clients, half expired`)

  // Bulk load with generate_series, 100,000 rows per statement, every index in place.
  const types = `(array['refresh_token','refresh_token','authorization_code','reference_token','user_consent'])`
  const loadStarted = performance.now()
  for (let from = 0; from < total; from += 100_000) {
    const to = Math.min(total, from + 100_000) - 1
    await sql.unsafe(
      `insert into "${schema}".persisted_grants
         (key, type, subject_id, session_id, client_id, created_at, expires_at, data)
       select md5(i::text), ${types}[1 + i % 5], 's' || (i % ${subjects}),
              'sid-' || (i % ${subjects}) || '-' || ((i / ${subjects}) % 2), 'c' || ((i::bigint * 7919) % ${clients}),
              ${now - 3_600_000}, case when i % 2 = 0 then ${now + 86_400_000} else ${now - 3_600_000} end,
              '{"scopes":["openid","profile","api1"],"claims":{"sub":"s' || (i % ${subjects}) || '"},"pad":"' || repeat('x', 300) || '"}'
       from generate_series(${from}, ${to}) as i`,
    )
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000
  await sql.unsafe(`analyze "${schema}".persisted_grants`)
  console.log(
    `bulk insert: ${total} rows in ${loadSeconds.toFixed(1)} s (${Math.round(total / loadSeconds)} rows/s)`,
  )

  const t = `"${schema}".persisted_grants`
  console.log('plans:')
  console.log(`  get         ${await plan(`select * from ${t} where key = 'x' and expires_at > ${now}`)}`)
  console.log(
    `  getAll(sub) ${await plan(`select * from ${t} where subject_id = 's1' and expires_at > ${now}`)}`,
  )
  console.log(
    `  removeAll   ${await plan(`delete from ${t} where subject_id = 's1' and session_id = 'sid-1-0'`)}`,
  )

  console.log(
    `  purge batch ${await plan(`delete from ${t} where ctid in (select ctid from ${t} where expires_at <= ${now} order by expires_at limit ${batchSize} for update skip locked)`)}`,
  )

  const live = sampler(true)
  await measure('get', samples, async () => {
    if (!(await grants.get(keyOf(live())))) throw new Error('a live grant was not found')
  })
  await measure('consume', samples, async () => {
    const result = await grants.consume(keyOf(live()))
    if (result.outcome !== 'consumed') throw new Error(`consume: ${result.outcome}`)
  })
  await measure('getAll by subject (~5 live)', samples, async () => {
    await grants.getAll({ subjectId: subjectOf(Math.floor(Math.random() * subjects)) })
  })
  const sessions = sampler(true)
  let removed = 0
  await measure('removeAll by session (~5)', samples, async () => {
    const i = sessions()
    removed += await grants.removeAll({ subjectId: subjectOf(i), sessionId: sessionOf(i) })
  })
  console.log(`  (removeAll removed ${removed} grants in all)`)

  const [{ expired }] = (await sql.unsafe(
    `select count(*)::int as expired from ${t} where expires_at <= ${Date.now()}`,
  )) as unknown as [{ expired: number }]

  // The reference, in the same run on the same table: the previous statement, rows named by
  // primary key (an index probe per row), for a fifth of the expired rows.
  const referenceBatches = Math.max(1, Math.floor(expired / 5 / batchSize))
  const referenceStarted = performance.now()
  let referenceRows = 0
  for (let i = 0; i < referenceBatches; i++) {
    const deleted = await sql.unsafe(
      `delete from ${t} where key in (select key from ${t} where expires_at <= ${Date.now()} limit ${batchSize} for update skip locked)`,
    )
    referenceRows += deleted.count
  }
  const referenceSeconds = (performance.now() - referenceStarted) / 1000
  console.log(
    `reference (delete … where key in (select key … for update skip locked)): ${referenceRows} rows in ${referenceSeconds.toFixed(1)} s, batch ${batchSize} (${Math.round(referenceRows / referenceSeconds)} rows/s)`,
  )

  // The plugin's purge of the rest, while consumes of live grants run one at a time beside it.
  const consumeLatencies: number[] = []
  let purging = true
  const consuming = (async () => {
    const next = sampler(true)
    while (purging) {
      const started = performance.now()
      // A grant consumed or removed above answers otherwise; the statement is the same.
      await grants.consume(keyOf(next()))
      consumeLatencies.push(performance.now() - started)
    }
  })()
  const purgeStarted = performance.now()
  const purged = await grants.purgeExpired({ before: Date.now(), batchSize })
  const purgeSeconds = (performance.now() - purgeStarted) / 1000
  purging = false
  await consuming
  console.log(
    `purgeExpired: ${purged} of ${expired - referenceRows} remaining expired rows in ${purgeSeconds.toFixed(1)} s, batch ${batchSize} (${Math.round(purged / purgeSeconds)} rows/s, ${((purged / purgeSeconds / (referenceRows / referenceSeconds)) * 100).toFixed(0)}% of the reference's rate)`,
  )
  consumeLatencies.sort((a, b) => a - b)
  console.log(
    `consume during the purge: n=${consumeLatencies.length}  p50 ${percentile(consumeLatencies, 50).toFixed(2)} ms  p99 ${percentile(consumeLatencies, 99).toFixed(2)} ms  max ${consumeLatencies.at(-1)?.toFixed(2)} ms`,
  )
} finally {
  await instance.close()
  await sql.unsafe(`drop schema if exists "${schema}" cascade`)
  await sql.end()
}
