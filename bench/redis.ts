/**
 * Redis plugin benchmark (not a test): ops/s and latency percentiles of grants.store, get and
 * consume against a local Redis, with concurrent callers; then proves consume costs one round
 * trip by counting, with MONITOR, the commands each operation sends.
 *
 *   bun bench/redis.ts [--url redis://127.0.0.1:6379] [--ops 20000] [--concurrency 32]
 */
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { systemClock } from '../core/clock.ts'
import { silentLogger } from '../core/logger.ts'
import type { PersistedGrant } from '../core/models/grant.ts'
import { createHandle, grantKey } from '../core/stores/handles.ts'
import redis from '../plugins/redis/index.ts'
import { commandsFor } from '../test/plugins/fixtures/redis/monitor.ts'

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.PORTICO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    ops: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '32' },
  },
})
const url = values.url
const ops = Number(values.ops)
const concurrency = Number(values.concurrency)
const prefix = `portico-bench:${randomBytes(4).toString('hex')}:`

function aGrant(i: number): PersistedGrant {
  const now = Date.now()
  return {
    key: grantKey(createHandle(), 'authorization_code'),
    type: 'authorization_code',
    subjectId: `subject-${i % 1000}`,
    sessionId: `session-${i % 2000}`,
    clientId: `client-${i % 10}`,
    createdAt: now,
    expiresAt: now + 300_000,
    // A typical authorization code payload: scopes, redirect URI, PKCE challenge, nonce, claims.
    data: JSON.stringify({ scopes: ['openid', 'profile', 'api1'], pad: 'x'.repeat(600) }),
  }
}

/** Runs `op(i)` for i in [0, n) with `concurrency` callers; ops/s and latency percentiles. */
async function measure(name: string, n: number, op: (i: number) => Promise<unknown>) {
  const latencies = new Float64Array(n)
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now()
        await op(i)
        latencies[i] = performance.now() - t
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort()
  const at = (q: number) => latencies[Math.min(n - 1, Math.floor(q * n))]!.toFixed(2)
  console.log(
    `${name.padEnd(8)} ${String(Math.round(n / seconds)).padStart(7)} ops/s   p50 ${at(0.5)} ms   p99 ${at(0.99)} ms`,
  )
}

const countCommands = (run: () => Promise<unknown>) => commandsFor(url, prefix, run)

const instance = await redis.create(
  { url, prefix },
  { roles: ['operational'], clock: systemClock, logger: silentLogger },
)
const { grants } = instance.operational!
try {
  console.log(`redis bench: ${ops} ops per operation, ${concurrency} concurrent callers, ${url}`)
  const stored = Array.from({ length: ops }, (_, i) => aGrant(i))
  await grants.store(aGrant(-1)) // warm up: scripts loaded
  await measure('store', ops, (i) => grants.store(stored[i]!))
  await measure('get', ops, (i) => grants.get(stored[i]!.key))
  await measure('consume', ops, (i) => grants.consume(stored[i]!.key))
  await measure('getAll', Math.min(ops, 5000), (i) => grants.getAll({ subjectId: `subject-${i % 1000}` }))

  const probe = aGrant(0)
  await grants.store(probe)
  const perConsume = await countCommands(() => grants.consume(probe.key))
  const perReplay = await countCommands(() => grants.consume(probe.key))
  const perGet = await countCommands(() => grants.get(probe.key))
  const perStore = await countCommands(() => grants.store(aGrant(1)))
  console.log(
    `round trips: consume ${perConsume.length} (${perConsume.join(', ')}), consume again ${perReplay.length}, get ${perGet.length} (${perGet.join(', ')}), store ${perStore.length} (${perStore.join(', ')})`,
  )
} finally {
  await grants.removeAll({ clientId: 'client-0' })
  await instance.close()
  const cleaner = new Redis(url)
  let cursor = '0'
  do {
    const [nextCursor, keys] = await cleaner.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    if (keys.length > 0) await cleaner.unlink(...keys)
    cursor = nextCursor
  } while (cursor !== '0')
  cleaner.disconnect()
}
