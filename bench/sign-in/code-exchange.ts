/**
 * The code exchange alone (RFC 6749 §4.1.3 with PKCE and an ID Token) against the bare
 * reference doing the same work: Basic client authentication, one atomic consume from a Map,
 * redirect_uri and PKCE S256 checks, one ES256 access token and one RS256 id_token with at_hash.
 *
 * Codes are minted before each round, outside the measurement: for Portico, a user signs in
 * once and `prompt=none` authorize requests then return a code each without a page; the
 * reference mints them at `POST /codes`. Each token request spends its own code (the paced
 * client's one-time bodies); servers are pinned to core 0, the client to core 1, and the
 * rounds interleave as in the token benchmark.
 *
 * bun bench/sign-in/code-exchange.ts   (PORTICO_BENCH_SECONDS, default 5; PORTICO_BENCH_ROUNDS, default 3)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type HttpRequestSpec, paced } from '../token/load.ts'
import type { BenchStore } from '../token/portico-server.ts'
import { startServer } from '../token/server-process.ts'
import {
  basic,
  best,
  cpuMicrosPerRequest,
  type Measured,
  medianCpu,
  medianRps,
  pct,
} from '../token/token-bench.ts'
import { authorizeUrl, codeOf, logIn, ProxiedBrowser } from './flow.ts'
import {
  benchUsers,
  pkcePair,
  redirectUri,
  rpSecret,
  scope,
  silentClient,
  startSignInServer,
} from './sign-in-server.ts'

const seconds = Number(process.env.PORTICO_BENCH_SECONDS ?? 5)
const rounds = Number(process.env.PORTICO_BENCH_ROUNDS ?? 3)
const connections = 32

interface Contender extends Measured {
  /** Mints `count` codes for `challenge`, returns them. */
  mint(count: number, challenge: string): Promise<string[]>
  tokenUrl: string
  clientId: string
  clientSecret: string
}

async function reference(port: number): Promise<Contender> {
  const script = new URL('../token/bare-reference.ts', import.meta.url).pathname
  const base = `http://127.0.0.1:${port}`
  const server = await startServer([process.execPath, script, String(port), 'ES256'], `${base}/healthz`, {
    NODE_ENV: 'production',
  })
  return {
    name: 'bare reference',
    server,
    async mint(count, challenge) {
      const response = await fetch(`${base}/codes`, {
        method: 'POST',
        body: new URLSearchParams({
          n: String(count),
          code_challenge: challenge,
          redirect_uri: redirectUri,
          scope,
        }),
      })
      return (await response.json()) as string[]
    },
    tokenUrl: `${base}/token`,
    clientId: 'bench',
    clientSecret: 'bench-secret-0123456789',
    runs: [],
    rssMb: 0,
  }
}

async function portico(port: number, store: BenchStore): Promise<Contender> {
  const [user] = benchUsers(1)
  const server = await startSignInServer({ port, store, users: [user!] })
  // One sign-in, as a browser makes it; its session then answers prompt=none without a page.
  const browser = new ProxiedBrowser('198.51.100.1')
  const first = pkcePair()
  const loginPage = await browser.navigate(authorizeUrl(server.base, silentClient, first.challenge))
  codeOf(await logIn(browser, loginPage, user!), 'sign-in')
  return {
    name: `portico, ${store}`,
    server,
    async mint(count, challenge) {
      const codes: string[] = []
      const mintOne = async () => {
        const url = authorizeUrl(server.base, silentClient, challenge, { prompt: 'none' })
        const response = await browser.request(url)
        const location = response.headers.get('location') ?? ''
        const code = location.startsWith(redirectUri) ? new URL(location).searchParams.get('code') : null
        if (!code) throw new Error(`prompt=none gave no code: ${response.status} ${location}`)
        codes.push(code)
      }
      // 16 at a time: fast to mint, without queueing thousands of requests at once.
      for (let i = 0; i < count; i += 16) {
        await Promise.all(Array.from({ length: Math.min(16, count - i) }, mintOne))
      }
      return codes
    },
    tokenUrl: `${server.base}/connect/token`,
    clientId: silentClient,
    clientSecret: rpSecret,
    runs: [],
    rssMb: 0,
  }
}

/** One closed-loop round on fresh codes, as many as the round can spend. */
async function round(contender: Contender, count: number, dir: string): Promise<void> {
  const { verifier, challenge } = pkcePair()
  const codes = await contender.mint(count, challenge)
  const bodiesFile = join(dir, `${crypto.randomUUID()}.txt`)
  writeFileSync(
    bodiesFile,
    codes
      .map((code) =>
        new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }).toString(),
      )
      .join('\n'),
  )
  const request: HttpRequestSpec = {
    method: 'POST',
    url: contender.tokenUrl,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(contender.clientId, contender.clientSecret),
    },
    bodiesFile,
  }
  const before = contender.server.cpuSeconds()
  contender.server.resetPeakRss()
  const result = await paced(request, seconds, 0, connections)
  contender.runs.push({ result, cpuMicros: cpuMicrosPerRequest(contender.server, before, result) })
  contender.rssMb = Math.max(contender.rssMb, contender.server.peakRssMb())
  rmSync(bodiesFile)
}

export async function runCodeExchangeBench(): Promise<void> {
  console.log(
    `# Code exchange (authorization_code + PKCE, ES256 access token, RS256 id_token): ${rounds} interleaved rounds of ${seconds} s, ${connections} connections, each request spending its own code; servers on core 0, client on core 1`,
  )
  const contenders: Contender[] = []
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-codes-'))
  try {
    contenders.push(await reference(4420), await portico(4421, 'memory'), await portico(4422, 'libsql'))
    // Warm-up round (not reported), which also sizes the later rounds' codes.
    const sizes = new Map<Contender, number>()
    for (const c of contenders) {
      await round(c, 2000, dir)
      const rate = c.runs.pop()!.result.requestsPerSecond
      sizes.set(c, Math.ceil(Math.max(rate, 1000) * (seconds + 1) * 1.5))
    }
    for (let r = 0; r < rounds; r++) {
      for (const c of contenders) await round(c, sizes.get(c)!, dir)
    }
    for (const c of contenders) {
      const top = best(c)
      const errors = c.runs.reduce((sum, run) => sum + run.result.errors, 0)
      console.log(
        `${c.name.padEnd(18)} best ${top.result.requestsPerSecond.toFixed(0).padStart(5)} req/s | median ${medianRps(c).toFixed(0).padStart(5)} | p50 ${top.result.p50Ms.toFixed(1)} ms | p99 ${top.result.p99Ms.toFixed(1)} ms | ${medianCpu(c).toFixed(0)} µs CPU/req | peak RSS ${c.rssMb.toFixed(0)} MB${errors ? ` | ${errors} ERRORS` : ''}`,
      )
    }
    const [ref, ...others] = contenders as [Contender, ...Contender[]]
    console.log('\n# Portico as a fraction of the bare reference (target: >= 70%)')
    for (const c of others) {
      console.log(
        `${c.name.padEnd(18)} best ${pct(best(c).result.requestsPerSecond / best(ref).result.requestsPerSecond)}  median ${pct(medianRps(c) / medianRps(ref))}  CPU/request ${pct(medianCpu(ref) / medianCpu(c))}`,
      )
    }
  } finally {
    await Promise.all(contenders.map((c) => c.server.stop()))
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.main) await runCodeExchangeBench()
