/**
 * What the cluster fault tests share: the deployment's seed (relying parties, machine clients,
 * an API, a user), a sign-in that can pause at the consent page, and a small load generator
 * that records every answer (status, `error` code, which target, when) so a test can assert on
 * them and print the run's figures: requests, errors by status, recovery time.
 */

import { discover, exchange, oidc, type RelyingParty, type Started, startSignIn } from '../sign-in/flow.ts'
import { users } from '../sign-in/seed.ts'
import { type Page, UserAgent } from '../sign-in/user-agent.ts'

export { users }

export const api = { name: 'https://api.faults.test', secret: 'faults-api-secret-0123456789abcdef' }

/** Signs users in; reference access tokens and one-time refresh tokens live in the operational store. */
export const web = {
  clientId: 'faults-web',
  secret: 'faults-web-secret-0123456789abcdef',
  redirectUri: 'https://rp.faults.test/cb',
} satisfies RelyingParty

/** client_credentials with JWT access tokens: needs only the client and the signing key. */
export const jwtClient = { clientId: 'faults-jwt', secret: 'faults-jwt-secret-0123456789abcdef' }
/** client_credentials with reference tokens: each one is written to the operational store. */
export const referenceClient = { clientId: 'faults-ref', secret: 'faults-ref-secret-0123456789abcdef' }
/** A client no request names before an outage, so no instance has it cached. */
export const coldClient = { clientId: 'faults-cold', secret: 'faults-cold-secret-0123456789abcdef' }

export const apiCaller: RelyingParty = { clientId: api.name, secret: api.secret, redirectUri: '' }

/**
 * Config laid over the cluster's: the one test user signs in many times at once from one
 * address, which the login throttle (5 per account per 15 minutes) would rightly refuse.
 */
export const faultsConfig = {
  login: {
    throttle: {
      perAccount: { limit: 10_000, windowSeconds: 900 },
      perAddress: { limit: 10_000, windowSeconds: 900 },
    },
  },
}

export function faultsSeed() {
  const machine = (client: { clientId: string; secret: string }, accessTokenType: 'jwt' | 'reference') => ({
    clientId: client.clientId,
    clientSecrets: [{ value: client.secret }],
    allowedGrantTypes: ['client_credentials'],
    allowedScopes: ['api1'],
    accessTokenType,
  })
  return {
    identityResources: ['openid', 'profile', 'email', 'offline_access'],
    apiScopes: [{ name: 'api1' }],
    apiResources: [{ name: api.name, scopes: ['api1'], apiSecrets: [{ value: api.secret }] }],
    clients: [
      {
        clientId: web.clientId,
        clientSecrets: [{ value: web.secret }],
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [web.redirectUri],
        allowedScopes: ['openid', 'profile', 'email', 'api1', 'offline_access'],
        allowOfflineAccess: true,
        requireConsent: true,
        accessTokenType: 'reference',
        refreshTokenUsage: 'oneTimeOnly',
      },
      machine(jwtClient, 'jwt'),
      machine(referenceClient, 'reference'),
      machine(coldClient, 'jwt'),
    ],
    users: [
      {
        subjectId: users.alice.subjectId,
        username: users.alice.username,
        password: users.alice.password,
        claims: { name: 'Alice', email: 'alice@example.test', email_verified: true },
      },
    ],
  }
}

const basic = (client: { clientId: string; secret: string }) =>
  `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`).toString('base64')}`

/** POST /connect/token with client_credentials (RFC 6749 §4.4), Basic authentication. */
export function clientCredentials(
  base: string,
  client: { clientId: string; secret: string },
): Promise<Response> {
  return fetch(`${base}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client) },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api1' }),
    signal: AbortSignal.timeout(15_000),
  })
}

/** POST /connect/introspect as the API (RFC 7662 §2.1). */
export function introspect(base: string, token: string): Promise<Response> {
  return fetch(`${base}/connect/introspect`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic({ clientId: api.name, secret: api.secret }),
    },
    body: new URLSearchParams({ token }),
    signal: AbortSignal.timeout(15_000),
  })
}

/**
 * A sign-in of alice paused on the consent page (authorize, login page, login), or at the
 * callback when her consent is remembered; `finish()` allows and exchanges the code.
 */
export interface PausedSignIn {
  started: Started
  config: oidc.Configuration
  /** The consent page (or, when consent is remembered, the callback: status 0). */
  consent: Page
  /** Allows on the consent page (with these fields, e.g. `remember: 'on'`), then exchanges the code (ID Token validated by openid-client). */
  finish(consent?: Record<string, string>): Promise<Awaited<ReturnType<typeof exchange>>>
}

export async function signInToConsent(issuer: string, scope = 'openid profile api1 offline_access') {
  const config = await discover(issuer, web)
  const started = await startSignIn(
    config,
    web,
    { scope },
    new UserAgent((url) => url.startsWith(web.redirectUri)),
  )
  const login = await started.browser.navigate(started.url.toString())
  if (!login.html.includes('name="password"'))
    throw new Error(`no login page (${login.status}): ${login.html.slice(0, 300)}`)
  const consent = await started.browser.submit(login, users.alice)
  // Straight back to the relying party (status 0) when alice's consent is remembered.
  if (consent.status !== 0 && !consent.html.includes('name="decision"')) {
    throw new Error(`no consent page (${consent.status}): ${consent.html.slice(0, 300)}`)
  }
  return {
    started,
    config,
    consent,
    async finish(values: Record<string, string> = {}) {
      const callback = consent.status === 0 ? consent : await started.browser.submit(consent, values, 'allow')
      if (callback.status !== 0) {
        throw new Error(
          `consent did not reach the callback (${callback.status}): ${callback.html.slice(0, 300)}`,
        )
      }
      return exchange(config, started, callback.url)
    },
  } satisfies PausedSignIn
}

/** One answer the load generator saw. `status` 0: no HTTP answer (connection refused or reset, timeout). */
export interface Outcome {
  /** Milliseconds since the run started, when the request was sent. */
  sentAt: number
  /** … and when its answer (or failure) arrived. */
  at: number
  kind: string
  target: number
  status: number
  /** The JSON body's `error` (RFC 6749 §5.2), or the network error's message. */
  error?: string
}

export interface Probe {
  kind: string
  send(target: number): Promise<Response>
}

/**
 * `workers` loops, each sending the probes in turn to the targets in turn, with a short pause
 * so the load leaves room for the servers on a shared machine.
 */
export class Load {
  readonly outcomes: Outcome[] = []
  readonly #t0 = performance.now()
  #running = true
  readonly #workers: Promise<void>[]

  constructor(
    private readonly probes: Probe[],
    private readonly targets: number,
    workers = 4,
    private readonly pauseMs = 10,
  ) {
    this.#workers = Array.from({ length: workers }, (_, w) => this.#loop(w))
  }

  /** Milliseconds since the run started. */
  now(): number {
    return performance.now() - this.#t0
  }

  async stop(): Promise<void> {
    this.#running = false
    await Promise.all(this.#workers)
  }

  /** Waits until every (probe kind, target) pair in `kinds` had an answer with `status` after `since`. */
  async until(kinds: string[], status: number, since: number, timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const seen = kinds.every((kind) =>
        Array.from({ length: this.targets }, (_, target) => target).every((target) =>
          this.outcomes.some(
            (o) => o.kind === kind && o.target === target && o.status === status && o.at >= since,
          ),
        ),
      )
      if (seen) return this.now()
      if (performance.now() > deadline) {
        throw new Error(
          `not every target answered ${kinds.join(', ')} with ${status} within ${timeoutMs} ms:\n${this.summary()}`,
        )
      }
      await Bun.sleep(25)
    }
  }

  /** The outcomes in [from, to). */
  between(from: number, to = Number.POSITIVE_INFINITY): Outcome[] {
    return this.outcomes.filter((o) => o.at >= from && o.at < to)
  }

  /** "N requests; 200: a, 503: b; by kind: …" for the test output. */
  summary(outcomes: Outcome[] = this.outcomes): string {
    const count = (list: Outcome[]) => {
      const byStatus = new Map<string, number>()
      for (const o of list) {
        const key = o.status === 0 ? `network (${o.error})` : String(o.status)
        byStatus.set(key, (byStatus.get(key) ?? 0) + 1)
      }
      return [...byStatus].map(([status, n]) => `${status}: ${n}`).join(', ')
    }
    const kinds = [...new Set(outcomes.map((o) => o.kind))]
    const perKind = kinds.map((kind) => `${kind} [${count(outcomes.filter((o) => o.kind === kind))}]`)
    return `${outcomes.length} requests (${count(outcomes)}); ${perKind.join('; ')}`
  }

  async #loop(worker: number): Promise<void> {
    let turn = worker
    while (this.#running) {
      const probe = this.probes[turn % this.probes.length]!
      const target = Math.floor(turn / this.probes.length) % this.targets
      turn += 1
      const outcome: Outcome = { sentAt: this.now(), at: 0, kind: probe.kind, target, status: 0 }
      try {
        const response = await probe.send(target)
        outcome.status = response.status
        const text = await response.text()
        if (response.status >= 400) {
          try {
            const body = JSON.parse(text) as { error?: unknown }
            if (typeof body.error === 'string') outcome.error = body.error
          } catch {
            outcome.error = `non-JSON body: ${text.slice(0, 80)}`
          }
        }
      } catch (error) {
        outcome.error = (error as Error).message
      }
      outcome.at = this.now()
      this.outcomes.push(outcome)
      await Bun.sleep(this.pauseMs)
    }
  }
}

export { oidc }
