/**
 * The token service benchmark: client_credentials issuance (memory and the default embedded
 * libSQL store, ES256 and RS256), introspection of a reference token (libSQL, Redis),
 * discovery and JWKS; and the bare reference in the same run, so every figure is read
 * against what Bun + Hono + jose manage on this machine at the same moment.
 *
 * Servers run on core 0, the load generator on core 1. The issuance servers all start
 * together and are loaded in interleaved rounds, so background noise on a shared machine
 * hits Portico and the reference alike; each gets its best round and its median.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type HttpRequestSpec, type LoadResult, loadGenerator, paced, peak } from './load.ts'
import {
  type BenchStore,
  benchApi,
  benchSecrets,
  type PorticoServer,
  startPorticoServer,
} from './portico-server.ts'
import { peakRss, type ServerProcess, startServer } from './server-process.ts'

const seconds = Number(process.env.PORTICO_BENCH_SECONDS ?? 5)
const rounds = Number(process.env.PORTICO_BENCH_ROUNDS ?? 3)
/** Which phases run (comma-separated): issuance (peak rounds), latency (half-peak; needs the
 * issuance rounds for its rates), introspection, documents. Default: all. */
const phases = new Set(
  (process.env.PORTICO_BENCH_PHASES ?? 'issuance,latency,introspection,documents').split(','),
)
/** The stores whose introspection runs (comma-separated; default memory,libsql,redis). */
const introspectionStores = (process.env.PORTICO_BENCH_INTROSPECTION_STORES ?? 'memory,libsql,redis').split(
  ',',
) as BenchStore[]
const form = { 'content-type': 'application/x-www-form-urlencoded' }
/** RFC 6749 §2.3.1: each half form-encoded before Basic (an API's name is a URL with a colon). */
export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`
let nextPort = 4310

/** A server loaded in rounds: each round's result and the server's CPU time per request. */
export interface Measured {
  name: string
  server: ServerProcess
  runs: { result: LoadResult; cpuMicros: number }[]
  rssMb: number
}

interface Contender extends Measured {
  request: HttpRequestSpec
}

/** The server's CPU time since `before` per request it answered (the client's warm-up included). */
export function cpuMicrosPerRequest(server: ServerProcess, before: number, result: LoadResult): number {
  return ((server.cpuSeconds() - before) * 1e6) / Math.max(1, result.answered ?? result.requests)
}

async function load(contender: Contender): Promise<void> {
  const before = contender.server.cpuSeconds()
  const { result, rssMb } = await peakRss(contender.server, () => peak(contender.request, seconds))
  const cpuMicros = cpuMicrosPerRequest(contender.server, before, result)
  contender.runs.push({ result, cpuMicros })
  contender.rssMb = Math.max(contender.rssMb, rssMb)
}

export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
export const best = (c: Measured) =>
  c.runs.reduce((a, b) => (b.result.requestsPerSecond > a.result.requestsPerSecond ? b : a))
export const medianRps = (c: Measured) => median(c.runs.map((r) => r.result.requestsPerSecond))
export const medianCpu = (c: Measured) => median(c.runs.map((r) => r.cpuMicros))

function report(c: Contender): void {
  const top = best(c).result
  const errors = c.runs.reduce((sum, r) => sum + r.result.errors, 0)
  console.log(
    `${c.name.padEnd(46)} best ${fmt(top.requestsPerSecond)} req/s | median ${fmt(medianRps(c))} | p50 ${top.p50Ms.toFixed(2)} ms | p99 ${top.p99Ms.toFixed(2)} ms | ${medianCpu(c).toFixed(0)} µs CPU/req | RSS ${c.rssMb.toFixed(0)} MB${errors ? ` | ${errors} ERRORS` : ''}`,
  )
}

const fmt = (n: number) => Math.round(n).toString().padStart(6)

function tokenRequest(base: string, path: string): HttpRequestSpec {
  return {
    method: 'POST',
    url: `${base}${path}`,
    headers: { ...form, authorization: basic('bench', benchSecrets.client) },
    body: 'grant_type=client_credentials&scope=api1',
  }
}

async function bare(alg: 'ES256' | 'RS256'): Promise<Contender> {
  const port = nextPort++
  const script = new URL('./bare-reference.ts', import.meta.url).pathname
  const server = await startServer(
    [process.execPath, script, String(port), alg],
    `http://127.0.0.1:${port}/healthz`,
    { NODE_ENV: 'production' },
  )
  return {
    name: `bare reference, ${alg}`,
    server,
    request: tokenRequest(`http://127.0.0.1:${port}`, '/token'),
    runs: [],
    rssMb: 0,
  }
}

async function portico(store: BenchStore, alg: 'ES256' | 'RS256', logLevel = 'info'): Promise<Contender> {
  const server = await startPorticoServer({ port: nextPort++, store, accessTokenAlgorithm: alg, logLevel })
  const quiet = logLevel === 'info' ? '' : `, log.level ${logLevel}`
  return {
    name: `portico client_credentials, ${store}, ${alg}${quiet}`,
    server,
    request: tokenRequest(server.base, '/connect/token'),
    runs: [],
    rssMb: 0,
  }
}

/**
 * Introspection of a reference token against the bare reference (bench/token/bare-introspection.ts)
 * keeping its tokens in the same kind of store (a Map for memory, a libSQL file for libSQL),
 * loaded in interleaved rounds. Redis has no bare twin here: measured on its own.
 */
async function introspection(store: BenchStore): Promise<void> {
  const server = await startPorticoServer({ port: nextPort++, store, accessTokenAlgorithm: 'ES256' })
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-introspection-'))
  let reference: ServerProcess | undefined
  try {
    const issued = await fetch(`${server.base}/connect/token`, {
      method: 'POST',
      headers: { ...form, authorization: basic('bench-reference', benchSecrets.reference) },
      body: 'grant_type=client_credentials&scope=api1',
    })
    const { access_token } = (await issued.json()) as { access_token: string }
    const ours: Contender = {
      name: `portico introspection (reference token), ${store}`,
      server,
      request: {
        method: 'POST',
        url: `${server.base}/connect/introspect`,
        headers: { ...form, authorization: basic(benchApi, benchSecrets.api) },
        body: `token=${access_token}`,
      },
      runs: [],
      rssMb: 0,
    }
    const check = (await (await fetch(ours.request.url, { ...ours.request })).json()) as { active?: boolean }
    if (check.active !== true) throw new Error('the reference token did not introspect as active')
    if (store === 'redis') {
      await peak(ours.request, 1)
      await load(ours)
      report(ours)
      return
    }
    const port = nextPort++
    const script = new URL('./bare-introspection.ts', import.meta.url).pathname
    // The reference reads as the plugin does: a native statement prepared once
    // (plugins/libsql/statements.ts). PORTICO_BENCH_BARE_LIBSQL=client: through @libsql/client,
    // which prepares each statement anew (the reference of the figures before that change).
    const libsqlKind = process.env.PORTICO_BENCH_BARE_LIBSQL === 'client' ? 'libsql' : 'libsql-prepared'
    const kind = store === 'libsql' ? `${libsqlKind}:${join(dir, 'bare.db')}` : 'memory'
    reference = await startServer(
      [process.execPath, script, String(port), kind],
      `http://127.0.0.1:${port}/healthz`,
      {
        NODE_ENV: 'production',
      },
    )
    const handle = (await (await fetch(`http://127.0.0.1:${port}/reference`, { method: 'POST' })).json()) as {
      access_token: string
    }
    const bare: Contender = {
      name: `bare reference, introspection, ${store}`,
      server: reference,
      request: {
        ...ours.request,
        url: `http://127.0.0.1:${port}/introspect`,
        body: `token=${handle.access_token}`,
      },
      runs: [],
      rssMb: 0,
    }
    for (const c of [bare, ours]) await peak(c.request, 1)
    for (let round = 0; round < rounds; round++) {
      for (const c of [bare, ours]) await load(c)
    }
    report(bare)
    report(ours)
    console.log(
      `introspection, ${store} (target: >= 90%): best ${pct(best(ours).result.requestsPerSecond / best(bare).result.requestsPerSecond)}  median ${pct(medianRps(ours) / medianRps(bare))}  CPU/request ${pct(medianCpu(bare) / medianCpu(ours))}`,
    )
  } finally {
    await reference?.stop()
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Discovery and JWKS against the bare reference (bench/token/bare-documents.ts) serving the
 * same bytes with the same headers, loaded in interleaved rounds like the issuance servers;
 * plus a revalidation (If-None-Match with the ETag, answered 304) on each.
 */
async function documents(): Promise<void> {
  const server = await startPorticoServer({
    port: nextPort++,
    store: 'memory',
    accessTokenAlgorithm: 'ES256',
  })
  const contenders: Contender[] = []
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-documents-'))
  try {
    const paths = {
      discovery: '/.well-known/openid-configuration',
      JWKS: '/.well-known/openid-configuration/jwks',
    }
    const answered: Record<string, { body: string; headers: Record<string, string> }> = {}
    for (const path of Object.values(paths)) {
      const response = await fetch(`${server.base}${path}`)
      answered[path] = { body: await response.text(), headers: Object.fromEntries(response.headers) }
    }
    const file = join(dir, 'documents.json')
    writeFileSync(file, JSON.stringify(answered))
    const port = nextPort++
    const script = new URL('./bare-documents.ts', import.meta.url).pathname
    const reference = await startServer(
      [process.execPath, script, String(port), file],
      `http://127.0.0.1:${port}/healthz`,
      {
        NODE_ENV: 'production',
      },
    )
    const pairs: [Contender, Contender][] = []
    for (const [name, path] of Object.entries(paths)) {
      const etag = answered[path]!.headers.etag
      const variants: [string, Record<string, string>][] = [[name, {}]]
      if (etag) variants.push([`${name}, If-None-Match (304)`, { 'if-none-match': etag }])
      for (const [label, headers] of variants) {
        const bare: Contender = {
          name: `bare reference, ${label}`,
          server: reference,
          request: { method: 'GET', url: `http://127.0.0.1:${port}${path}`, headers },
          runs: [],
          rssMb: 0,
        }
        const ours: Contender = {
          name: `portico ${label}`,
          server,
          request: { method: 'GET', url: `${server.base}${path}`, headers },
          runs: [],
          rssMb: 0,
        }
        pairs.push([bare, ours])
        contenders.push(bare, ours)
      }
    }
    for (const c of contenders) await peak(c.request, 1)
    for (let round = 0; round < rounds; round++) {
      for (const c of contenders) await load(c)
    }
    for (const c of contenders) report(c)
    console.log('\n# Portico documents as a fraction of the bare reference (target: >= 85%)')
    for (const [bare, ours] of pairs) {
      console.log(
        `${ours.name.replace('portico ', '').padEnd(28)} best ${pct(best(ours).result.requestsPerSecond / best(bare).result.requestsPerSecond)}  median ${pct(medianRps(ours) / medianRps(bare))}  CPU/request ${pct(medianCpu(bare) / medianCpu(ours))}`,
      )
    }
    await reference.stop()
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Open-loop latency at `rate`, `rounds` times; the median run's p99 is the figure, the worst
 * is shown beside it because one 5 s run's p99 moves a lot with machine noise.
 */
async function latencyAt(c: Contender, rate: number): Promise<void> {
  const runs: LoadResult[] = []
  let rss = 0
  for (let round = 0; round < rounds; round++) {
    const { result, rssMb } = await peakRss(c.server, () => paced(c.request, seconds, rate))
    runs.push(result)
    rss = Math.max(rss, rssMb)
  }
  const p99s = runs.map((r) => r.p99Ms)
  const errors = runs.reduce((sum, r) => sum + r.errors, 0)
  console.log(
    `${c.name.padEnd(46)} at ${rate} req/s: p50 ${median(runs.map((r) => r.p50Ms)).toFixed(2)} ms | p99 ${median(p99s).toFixed(2)} ms median, ${Math.max(...p99s).toFixed(2)} ms worst of ${runs.length} | RSS ${rss.toFixed(0)} MB | errors ${errors}`,
  )
}

const halfPeak = (c: Contender) => Math.round(best(c).result.requestsPerSecond / 2)

export async function runTokenBench(): Promise<void> {
  console.log(
    `# Token service: ${rounds} interleaved rounds of ${seconds} s, 32 connections (load: ${loadGenerator})`,
  )
  console.log(
    `# servers pinned to core 0 (NODE_ENV=production), load generator to core 1; ${navigator.hardwareConcurrency} cores; Bun ${Bun.version}\n`,
  )
  if (phases.has('issuance') || phases.has('latency')) await issuance()

  if (phases.has('introspection') || phases.has('documents')) {
    console.log('\n# Introspection, discovery, JWKS (target: introspection on Redis >= 10k req/s)')
  }
  if (phases.has('introspection')) {
    for (const store of introspectionStores) await introspection(store)
  }
  if (phases.has('documents')) await documents()
}

/** client_credentials peak rounds against the bare reference, then latency at half peak. */
async function issuance(): Promise<void> {
  const contenders: Contender[] = []
  try {
    contenders.push(await bare('ES256'), await bare('RS256'))
    contenders.push(await portico('memory', 'ES256'), await portico('memory', 'RS256'))
    contenders.push(await portico('libsql', 'ES256'), await portico('libsql', 'RS256'))
    contenders.push(await portico('memory', 'ES256', 'warn'))
    for (const c of contenders) await peak(c.request, 1)
    for (let round = 0; round < rounds; round++) {
      for (const c of contenders) await load(c)
    }
    for (const c of contenders) report(c)

    const [bareEs, bareRs, memoryEs, memoryRs, libsqlEs, libsqlRs, quietEs] = contenders as [
      Contender,
      Contender,
      Contender,
      Contender,
      Contender,
      Contender,
      Contender,
    ]
    console.log('\n# Portico throughput as a fraction of the bare reference (target: ES256 >= 70%)')
    const fraction = (c: Contender, ref: Contender) =>
      `${c.name.replace('portico client_credentials, ', '').padEnd(28)} best ${pct(best(c).result.requestsPerSecond / best(ref).result.requestsPerSecond)}  median ${pct(medianRps(c) / medianRps(ref))}  CPU/request ${pct(medianCpu(ref) / medianCpu(c))}`
    for (const [c, ref] of [
      [memoryEs, bareEs],
      [libsqlEs, bareEs],
      [quietEs, bareEs],
      [memoryRs, bareRs],
      [libsqlRs, bareRs],
    ] as const) {
      console.log(fraction(c, ref))
    }

    if (phases.has('latency')) {
      console.log(
        `\n# Latency at half the peak rate, ${rounds} open-loop runs of ${seconds} s each (target: p99 < 10 ms, RSS < 100 MB); the bare reference at Portico's memory rate`,
      )
      await latencyAt(bareEs, halfPeak(memoryEs))
      await latencyAt(memoryEs, halfPeak(memoryEs))
      await latencyAt(quietEs, halfPeak(memoryEs))
      await latencyAt(libsqlEs, halfPeak(libsqlEs))
    }
  } finally {
    await Promise.all(contenders.map((c) => c.server.stop()))
  }
}

export const pct = (x: number) => `${(100 * x).toFixed(0)}%`.padStart(4)

export type { PorticoServer }
