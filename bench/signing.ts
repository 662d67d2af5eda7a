/**
 * `bun bench/signing.ts`: signatures per second through the KeyRing, per algorithm, plus
 * verification and data protection, and the store calls made on those hot paths (expected: 0).
 */
import { systemClock } from '../core/clock.ts'
import { KeyRing, type SigningAlgorithm } from '../core/keys/index.ts'
import { silentLogger } from '../core/logger.ts'
import type { KeyStore } from '../core/stores/keys.ts'
import memory from '../plugins/memory/index.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2)

/** Runs `op` for about SECONDS, `concurrency` calls in flight, and returns ops/s. */
async function rate(op: () => Promise<unknown>, concurrency: number): Promise<number> {
  for (let i = 0; i < 50; i++) await op()
  const until = performance.now() + SECONDS * 1000
  const started = performance.now()
  let done = 0
  const worker = async () => {
    while (performance.now() < until) {
      await op()
      done++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return done / ((performance.now() - started) / 1000)
}

function counting(store: KeyStore): { store: KeyStore; calls: () => number } {
  let calls = 0
  const count = <T>(value: T) => {
    calls++
    return value
  }
  return {
    store: {
      list: () => count(store.list()),
      add: (record) => count(store.add(record)),
      update: (record, version) => count(store.update(record, version)),
      remove: (id) => count(store.remove(id)),
    },
    calls: () => calls,
  }
}

const instance = await memory.create({}, { roles: ['keys'], clock: systemClock, logger: silentLogger })
const probe = counting(instance.keys!)
const ring = await KeyRing.create({
  store: probe.store,
  secret: 'bench-secret-0123456789abcdefghijklmnop',
  algorithms: ['RS256', 'ES256'],
})
const before = probe.calls()
const payload = {
  iss: 'https://id.example.com',
  sub: '1',
  aud: 'api',
  exp: Math.floor(Date.now() / 1000) + 3600,
}

const rows: [string, string, string][] = []
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
for (const alg of ['RS256', 'ES256'] as SigningAlgorithm[]) {
  const sequential = await rate(() => ring.sign(payload, { alg }), 1)
  const parallel = await rate(() => ring.sign(payload, { alg }), 32)
  rows.push([`sign ${alg}`, fmt(sequential), fmt(parallel)])
  const token = await ring.sign(payload, { alg })
  rows.push([
    `verify ${alg}`,
    fmt(await rate(() => ring.verify(token), 1)),
    fmt(await rate(() => ring.verify(token), 32)),
  ])
}
const cookie = await ring.protect('session', { sid: 'abc', sub: '1' }, 3600)
rows.push([
  'protect',
  fmt(await rate(() => ring.protect('session', { sid: 'abc', sub: '1' }, 3600), 1)),
  fmt(await rate(() => ring.protect('session', { sid: 'abc', sub: '1' }, 3600), 32)),
])
rows.push([
  'unprotect',
  fmt(await rate(() => ring.unprotect('session', cookie), 1)),
  fmt(await rate(() => ring.unprotect('session', cookie), 32)),
])
ring.close()
await instance.close()

console.log(`key ring, ${SECONDS} s per figure, Bun ${Bun.version}, ${navigator.hardwareConcurrency} CPUs`)
console.log(
  `${'operation'.padEnd(14)}${'ops/s (1 at a time)'.padStart(22)}${'ops/s (32 in flight)'.padStart(22)}`,
)
for (const [name, one, many] of rows) console.log(`${name.padEnd(14)}${one.padStart(22)}${many.padStart(22)}`)
console.log(`store calls during the run: ${probe.calls() - before}`)
