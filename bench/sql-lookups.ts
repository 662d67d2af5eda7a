/**
 * The SQL plugins' hot lookups in process, CPU time per call: the persisted grant get (each
 * reference-token introspection), consume (each code exchange), client by id, an API scope
 * lookup and the replay cache's add, beside the same `select` of a grant through the bare
 * driver (libSQL only: `@libsql/client`, as bench/token/bare-introspection.ts reads it).
 * Figures are printed, never asserted (docs/performance.md, round two).
 *
 * bun bench/sql-lookups.ts [libsql|postgres] [--calls 20000] [--runs 5] [--url …]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createClient } from '@libsql/client'
import postgresClient from 'postgres'
import { systemClock } from '../core/clock.ts'
import type { PluginInstance, StoreRole } from '../core/index.ts'
import { silentLogger } from '../core/logger.ts'
import { clientDefaults } from '../core/models/client.ts'
import { apiScope } from '../core/models/resources.ts'
import { grantKey } from '../core/stores/handles.ts'
import libsql from '../plugins/libsql/index.ts'
import postgres from '../plugins/postgres/index.ts'

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    calls: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '5' },
    url: { type: 'string', default: 'postgres://root@127.0.0.1:5432/test' },
  },
})
const backend = positionals[0] ?? 'libsql'
const calls = Number(values.calls)
const runs = Number(values.runs)
const roles: StoreRole[] = ['configuration', 'operational', 'keys']
const context = { roles, clock: systemClock, logger: silentLogger }

const dir = mkdtempSync(join(tmpdir(), 'portico-sql-lookups-'))
const url = `file:${join(dir, 'portico.db')}`
const schema = `portico_bench_${Math.random().toString(36).slice(2, 10)}`
const instance: PluginInstance =
  backend === 'postgres'
    ? await postgres.create({ url: values.url, schema, migrate: true }, context)
    : await libsql.create({ url, migrate: true }, context)
const { grants, replay } = instance.operational!
const { clients, resources } = instance.configuration!

const now = Date.now()
const keys = Array.from({ length: 1000 }, (_, i) => grantKey(`handle-${i}`, 'reference_token'))
for (const key of keys) {
  await grants.store({
    key,
    type: 'reference_token',
    clientId: 'bench',
    subjectId: 'alice',
    createdAt: now,
    expiresAt: now + 3_600_000,
    data: JSON.stringify({ iss: 'https://issuer.example', scope: 'api1', jti: key }),
  })
}
await clients.upsert({ ...clientDefaults, clientId: 'bench', clientSecrets: [], allowedScopes: ['api1'] })
await resources.upsertApiScope(apiScope({ name: 'api1', enabled: true }))

const bare = backend === 'libsql' ? createClient({ url }) : undefined
let sequence = 0

const cases: [string, (i: number) => Promise<unknown>][] = [
  ['grants.get', (i) => grants.get(keys[i % keys.length]!)],
  ...(bare
    ? ([
        [
          'bare select of the grant (@libsql/client)',
          (i: number) =>
            bare.execute({
              sql: 'select * from persisted_grants where key = ? and expires_at > ?',
              args: [keys[i % keys.length]!, Date.now()],
            }),
        ],
      ] as [string, (i: number) => Promise<unknown>][])
    : []),
  ['grants.consume (already consumed)', (i) => grants.consume(keys[i % keys.length]!)],
  ['clients.findClientById', () => clients.findClientById('bench')],
  ['resources.findApiScopesByName', () => resources.findApiScopesByName(['api1'])],
  ['replay.addIfAbsent', () => replay.addIfAbsent(`jti-${sequence++}`, Date.now() + 60_000)],
]

function cpuMicros(): number {
  const usage = process.cpuUsage()
  return usage.user + usage.system
}

console.log(`# ${backend}: CPU µs per call, ${runs} runs of ${calls} calls (median, min)`)
for (const [name, call] of cases) {
  for (let i = 0; i < 500; i++) await call(i)
  const perCall: number[] = []
  for (let run = 0; run < runs; run++) {
    const start = cpuMicros()
    for (let i = 0; i < calls; i++) await call(i)
    perCall.push((cpuMicros() - start) / calls)
  }
  perCall.sort((a, b) => a - b)
  console.log(
    `${name.padEnd(40)} ${perCall[Math.floor(runs / 2)]!.toFixed(1).padStart(7)} ${perCall[0]!.toFixed(1).padStart(7)}`,
  )
}

bare?.close()
await instance.close()
rmSync(dir, { recursive: true, force: true })
if (backend === 'postgres') {
  const sql = postgresClient(values.url, { onnotice: () => {} })
  await sql.unsafe(`drop schema if exists "${schema}" cascade`)
  await sql.end()
}
