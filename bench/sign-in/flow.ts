/**
 * Whole sign-ins per second, as a browser and a relying party make them: authorize GET
 * (followed to the login page), login POST (followed to the consent page), consent POST
 * (Allow, ending at the callback with a code), the code exchange with PKCE at /connect/token,
 * and userinfo. Each simulated user signs in again and again in a fresh browser (no cookies),
 * so every sign-in verifies an argon2id hash; users run in parallel, each with an account and
 * a client address (X-Forwarded-For through a trusted proxy) of its own.
 *
 * bun bench/sign-in/flow.ts   (PORTICO_SIGN_IN_USERS, default 4; PORTICO_SIGN_IN_SECONDS, default 20;
 * PORTICO_SIGN_IN_STORES, default memory,libsql; PORTICO_SIGN_IN_OWASP=0 skips the row at OWASP's
 * argon2id minimum)
 */
import { hashPassword } from '../../core/protocol/login/credential-check.ts'
import { type Page, UserAgent } from '../../test/e2e/sign-in/user-agent.ts'
import type { BenchStore, PorticoServer } from '../token/portico-server.ts'
import { basic } from '../token/token-bench.ts'
import {
  type BenchUser,
  benchUsers,
  consentingClient,
  pkcePair,
  redirectUri,
  rpSecret,
  scope,
  startSignInServer,
} from './sign-in-server.ts'

export const steps = ['authorize', 'login', 'consent', 'token', 'userinfo'] as const
export type Step = (typeof steps)[number]

/** A browser whose every request comes through a trusted proxy for `address`. */
export class ProxiedBrowser extends UserAgent {
  constructor(private readonly address: string) {
    super((url) => url.startsWith(redirectUri))
  }

  override request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set('x-forwarded-for', this.address)
    return super.request(url, { ...init, headers })
  }
}

/** The authorization request a relying party sends the browser to (PKCE S256, state, nonce). */
export function authorizeUrl(base: string, clientId: string, challenge: string, extra = {}): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope,
    state: crypto.randomUUID(),
    nonce: crypto.randomUUID(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  })
  return `${base}/connect/authorize?${params}`
}

/** The code in the callback URL, or an error naming the step and what came back. */
export function codeOf(page: Page, step: string): string {
  const code = page.status === 0 ? new URL(page.url).searchParams.get('code') : null
  if (!code) throw new Error(`${step}: no code (status ${page.status}, ${page.url})`)
  return code
}

/** Logs in on the login page; returns what the login POST led to. */
export async function logIn(browser: UserAgent, page: Page, user: BenchUser): Promise<Page> {
  if (!page.html.includes('name="password"')) throw new Error(`authorize: no login page (${page.status})`)
  return browser.submit(page, { username: user.username, password: user.password })
}

/** One whole sign-in; the milliseconds of each step. */
async function signIn(base: string, user: BenchUser, address: string): Promise<Record<Step, number>> {
  const browser = new ProxiedBrowser(address)
  const { verifier, challenge } = pkcePair()
  const times = {} as Record<Step, number>
  let at = performance.now()
  const lap = (step: Step) => {
    const now = performance.now()
    times[step] = now - at
    at = now
  }
  const loginPage = await browser.navigate(authorizeUrl(base, consentingClient, challenge))
  lap('authorize')
  const consentPage = await logIn(browser, loginPage, user)
  lap('login')
  if (!consentPage.html.includes('name="decision"')) {
    throw new Error(`login: no consent page (status ${consentPage.status}, ${consentPage.url})`)
  }
  const code = codeOf(await browser.submit(consentPage, {}, 'allow'), 'consent')
  lap('consent')
  const token = await fetch(`${base}/connect/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(consentingClient, rpSecret),
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  })
  const tokens = (await token.json()) as { access_token?: string; id_token?: string }
  if (!token.ok || !tokens.access_token || !tokens.id_token) {
    throw new Error(`token: ${token.status} ${JSON.stringify(tokens)}`)
  }
  lap('token')
  const userinfo = await fetch(`${base}/connect/userinfo`, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  })
  const claims = (await userinfo.json()) as { sub?: string }
  if (!userinfo.ok || claims.sub !== user.subjectId) {
    throw new Error(`userinfo: ${userinfo.status} ${JSON.stringify(claims)}`)
  }
  lap('userinfo')
  return times
}

export interface FlowResult {
  signIns: number
  signInsPerSecond: number
  errors: string[]
  /** Sorted milliseconds per step, and for the whole sign-in. */
  latencies: Record<Step | 'sign-in', number[]>
  /** Peak RSS during the run (VmHWM after a reset; else the sampled VmRSS). */
  peakRssMb: number
  sampledRssMb: number
  /** RSS when the measured run began (after the warm-up sign-ins) and when it ended. */
  rssBeforeMb: number
  rssAfterMb: number
  cpuMsPerSignIn: number
}

/** `users.length` users signing in over and over for `seconds`. */
export async function driveSignIns(
  server: PorticoServer,
  users: BenchUser[],
  seconds: number,
): Promise<FlowResult> {
  // A sign-in per user first (not measured): JIT, caches and pools warm, the flow proven.
  await Promise.all(users.map((user, i) => signIn(server.base, user, `198.51.100.${i + 1}`)))
  const exact = server.resetPeakRss()
  const rssBeforeMb = server.rssMb()
  const cpuBefore = server.cpuSeconds()
  let sampled = server.rssMb()
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, server.rssMb())
  }, 50)
  const latencies = { 'sign-in': [] as number[] } as FlowResult['latencies']
  for (const step of steps) latencies[step] = []
  const errors: string[] = []
  const start = performance.now()
  const end = start + seconds * 1000
  await Promise.all(
    users.map(async (user, i) => {
      while (performance.now() < end) {
        const began = performance.now()
        try {
          const times = await signIn(server.base, user, `198.51.100.${i + 1}`)
          for (const step of steps) latencies[step].push(times[step])
          latencies['sign-in'].push(performance.now() - began)
        } catch (error) {
          errors.push(String(error))
        }
      }
    }),
  )
  const elapsed = (performance.now() - start) / 1000
  clearInterval(sampler)
  for (const list of Object.values(latencies)) list.sort((a, b) => a - b)
  const signIns = latencies['sign-in'].length
  return {
    signIns,
    signInsPerSecond: signIns / elapsed,
    errors,
    latencies,
    peakRssMb: exact ? server.peakRssMb() : sampled,
    sampledRssMb: Math.max(sampled, server.rssMb()),
    rssBeforeMb,
    rssAfterMb: server.rssMb(),
    cpuMsPerSignIn: ((server.cpuSeconds() - cpuBefore) * 1000) / Math.max(1, signIns),
  }
}

export const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN

export function reportFlow(name: string, result: FlowResult): void {
  const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0))
  console.log(
    `${name.padEnd(24)} ${result.signInsPerSecond.toFixed(1)} sign-ins/s (${result.signIns} in the run) | ${result.cpuMsPerSignIn.toFixed(0)} ms CPU/sign-in | peak RSS ${result.peakRssMb.toFixed(0)} MB (sampled ${result.sampledRssMb.toFixed(0)}, at start ${result.rssBeforeMb.toFixed(0)}, at end ${result.rssAfterMb.toFixed(0)} MB)${result.errors.length ? ` | ${result.errors.length} ERRORS: ${result.errors[0]}` : ''}`,
  )
  for (const step of [...steps, 'sign-in'] as const) {
    const sorted = result.latencies[step]
    console.log(
      `  ${step.padEnd(10)} p50 ${ms(percentile(sorted, 0.5)).padStart(5)} ms | p99 ${ms(percentile(sorted, 0.99)).padStart(5)} ms`,
    )
  }
}

export async function runSignInFlow(): Promise<void> {
  const userCount = Number(process.env.PORTICO_SIGN_IN_USERS ?? 4)
  const seconds = Number(process.env.PORTICO_SIGN_IN_SECONDS ?? 20)
  const stores = (process.env.PORTICO_SIGN_IN_STORES ?? 'memory,libsql').split(',') as BenchStore[]
  const users = benchUsers(userCount)
  console.log(
    `# Whole sign-ins (authorize, login, consent, token, userinfo): ${userCount} users in parallel for ${seconds} s per store; server pinned to core 0 (NODE_ENV=production); ${navigator.hardwareConcurrency} cores; Bun ${Bun.version}`,
  )
  console.log(`# argon2id as Portico hashes (${await shippedParameters()}); target: RSS < 100 MB\n`)
  let port = 4400
  const runs: { name: string; store: BenchStore; argon2?: { memoryCost: number; timeCost: number } }[] =
    stores.map((store) => ({ name: `portico, ${store}`, store }))
  // For comparison: OWASP's first argon2id minimum (19 MiB, 2 passes, 1 lane), on memory.
  if (process.env.PORTICO_SIGN_IN_OWASP !== '0') {
    runs.push({ name: 'memory, m=19 MiB t=2', store: 'memory', argon2: { memoryCost: 19_456, timeCost: 2 } })
  }
  for (const run of runs) {
    const server = await startSignInServer({ ...run, port: port++, users })
    try {
      reportFlow(run.name, await driveSignIns(server, users, seconds))
    } finally {
      await server.stop()
    }
  }
}

/** The argon2id parameters in a hash Portico makes, as the hash itself records them. */
async function shippedParameters(): Promise<string> {
  const hash = await hashPassword('x')
  return /\$(m=\d+,t=\d+,p=\d+)\$/.exec(hash)?.[1] ?? hash.split('$').slice(0, 4).join('$')
}

if (import.meta.main) await runSignInFlow()
