/**
 * Issue 15 item 4, the harder kind of outage: a store that hangs instead of going away. The
 * private Postgres and Redis are stopped with SIGSTOP, their connections left open and silent,
 * as behind a network partition or in a long stall. Requests that need the hung store must
 * still answer 503 `temporarily_unavailable` within the store's own timeout (the Postgres
 * plugin's `queryTimeout`, the Redis plugin's `commandTimeout`) rather than hang until it
 * wakes, nothing crashes, and all is served again once it goes on (SIGCONT). Prints each run's
 * figures: requests, answers by status, how long the slowest refused request waited, recovery.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import {
  clientCredentials,
  coldClient,
  faultsConfig,
  faultsSeed,
  jwtClient,
  Load,
  type Outcome,
  referenceClient,
} from './faults-support.ts'
import { type Cluster, startCluster } from './instances.ts'
import { PrivatePostgres } from './private-postgres.ts'
import { PrivateRedis } from './private-redis.ts'

/** The Postgres plugin's `queryTimeout` here, in seconds (the Redis plugin keeps its 2 s default). */
const QUERY_TIMEOUT_S = 1
/** How long the store stays hung once every instance has answered 503. */
const HUNG_MS = 4_000
/**
 * Three times the longer timeout (a request may make a few store calls in turn): a request sent
 * this long before the store woke must not still be waiting for it.
 */
const NO_HANG_MARGIN_MS = 6_000
const WAIT_MS = 30_000

describe('stores that hang (SIGSTOP) under three instances', () => {
  let redis: PrivateRedis
  let postgres: PrivatePostgres
  let cluster: Cluster

  beforeAll(async () => {
    ;[redis, postgres] = await Promise.all([PrivateRedis.start(), PrivatePostgres.start()])
    const sql = {
      plugin: 'postgres',
      options: { url: postgres.url, schema: 'portico', poolSize: 4, queryTimeout: QUERY_TIMEOUT_S },
    }
    cluster = await startCluster({
      count: 3,
      // Nothing listens here: the load goes to each instance directly.
      issuer: 'https://id.faults.test',
      seed: faultsSeed(),
      config: {
        ...faultsConfig,
        stores: {
          configuration: sql,
          keys: sql,
          operational: { plugin: 'redis', options: { url: redis.url, prefix: 'portico:' } },
        },
      },
    })
  }, 90_000)

  afterAll(async () => {
    await cluster?.close()
    await Promise.allSettled([redis?.destroy(), postgres?.destroy()])
  }, 30_000)

  const urls = () => cluster.instances.map((instance) => instance.url)

  function expectServedThroughout(outcomes: Outcome[], hungAt: number, wokeAt: number, kind: string): void {
    expect(cluster.instances.filter((instance) => !instance.running).map((i) => i.index)).toEqual([])
    expect(outcomes.filter((o) => o.status !== 200 && o.status !== 503)).toEqual([])
    // RFC 6749 §5.2 from the token endpoint (/readyz names the failed store instead).
    for (const o of outcomes.filter((o) => o.status === 503 && o.kind !== 'readyz')) {
      expect(o).toMatchObject({ error: 'temporarily_unavailable' })
    }
    // Nothing sent well before the store woke waited for it: each was refused meanwhile.
    const waited = outcomes.filter(
      (o) => o.kind === kind && o.sentAt >= hungAt && o.sentAt < wokeAt - NO_HANG_MARGIN_MS && o.at >= wokeAt,
    )
    expect(waited).toEqual([])
    const failures = cluster.instances.flatMap((instance) =>
      instance.lines.filter(
        (line) =>
          line.includes('"event":"request.failed"') || line.includes('"event":"process.unhandled_rejection"'),
      ),
    )
    expect(failures).toEqual([])
    // Nothing outside the JSON log either (an uncaught error would land on stderr).
    expect(cluster.instances.flatMap((instance) => instance.stderr)).toEqual([])
  }

  function slowestRefusal(outcomes: Outcome[]): number {
    return Math.round(Math.max(0, ...outcomes.filter((o) => o.status === 503).map((o) => o.at - o.sentAt)))
  }

  test('Postgres hangs: what needs it is refused after queryTimeout, the published keys still serve', async () => {
    const load = new Load(
      [
        { kind: 'token (jwt)', send: (i) => clientCredentials(urls()[i]!, jwtClient) },
        { kind: 'jwks', send: (i) => fetch(`${urls()[i]}/.well-known/openid-configuration/jwks`) },
        { kind: 'readyz', send: (i) => fetch(`${urls()[i]}/readyz`) },
      ],
      3,
      3,
    )
    let cold: Load | undefined
    let pids: number[] = []
    const marks = { hungAt: 0, wokeAt: 0, recoveredAt: 0 }
    try {
      for (const deadline = Date.now() + WAIT_MS; load.outcomes.length < 30 && Date.now() < deadline; ) {
        await Bun.sleep(20)
      }
      marks.hungAt = load.now()
      pids = postgres.freeze()
      // A client no instance has cached: its lookup needs the hung database.
      cold = new Load(
        [{ kind: 'token (cold client)', send: (i) => clientCredentials(urls()[i]!, coldClient) }],
        3,
        3,
      )
      const coldOffset = load.now() - cold.now()
      await cold.until(['token (cold client)'], 503, 0, WAIT_MS)
      await load.until(['readyz'], 503, marks.hungAt, WAIT_MS)
      const until = load.now() + HUNG_MS
      while (load.now() < until) await Bun.sleep(50)
      marks.wokeAt = load.now()
      postgres.thaw(pids)
      pids = []
      marks.recoveredAt = Math.max(
        await load.until(['token (jwt)', 'readyz'], 200, marks.wokeAt, WAIT_MS),
        (await cold.until(['token (cold client)'], 200, marks.wokeAt - coldOffset, WAIT_MS)) + coldOffset,
      )
      await Promise.all([load.stop(), cold.stop()])
      const all = [
        ...load.outcomes,
        ...cold.outcomes.map((o) => ({ ...o, at: o.at + coldOffset, sentAt: o.sentAt + coldOffset })),
      ]
      console.log(
        `Postgres hung ${Math.round(marks.wokeAt - marks.hungAt)} ms (queryTimeout ${QUERY_TIMEOUT_S} s): ` +
          `${load.summary()}; a client never used before: ${cold.summary()}; slowest 503 ${slowestRefusal(all)} ms; ` +
          `every instance served again ${Math.round(marks.recoveredAt - marks.wokeAt)} ms after it went on`,
      )
      expectServedThroughout(all, marks.hungAt, marks.wokeAt, 'token (cold client)')
      // The key ring publishes from memory while the database hangs. (Cached clients sign on
      // too, until the cache's epoch ends: cache.ttlSeconds.)
      expect(load.outcomes.filter((o) => o.kind === 'jwks' && o.status !== 200)).toEqual([])
    } finally {
      if (pids.length) postgres.thaw(pids)
      await Promise.all([load.stop(), cold?.stop()])
    }
  }, 90_000)

  test('Redis hangs: what needs it is refused after commandTimeout, and all is served once it goes on', async () => {
    const load = new Load(
      [
        { kind: 'token (reference)', send: (i) => clientCredentials(urls()[i]!, referenceClient) },
        { kind: 'token (jwt)', send: (i) => clientCredentials(urls()[i]!, jwtClient) },
        { kind: 'readyz', send: (i) => fetch(`${urls()[i]}/readyz`) },
      ],
      3,
      6,
    )
    const marks = { hungAt: 0, wokeAt: 0, recoveredAt: 0 }
    try {
      for (const deadline = Date.now() + WAIT_MS; load.outcomes.length < 30 && Date.now() < deadline; ) {
        await Bun.sleep(20)
      }
      marks.hungAt = load.now()
      redis.pause()
      await load.until(['token (reference)', 'readyz'], 503, marks.hungAt, WAIT_MS)
      const until = load.now() + HUNG_MS
      while (load.now() < until) await Bun.sleep(50)
      marks.wokeAt = load.now()
      redis.resume()
      marks.recoveredAt = await load.until(
        ['token (reference)', 'token (jwt)', 'readyz'],
        200,
        marks.wokeAt,
        WAIT_MS,
      )
    } finally {
      redis.resume()
      await load.stop()
    }
    console.log(
      `Redis hung ${Math.round(marks.wokeAt - marks.hungAt)} ms: ${load.summary()}; slowest 503 ` +
        `${slowestRefusal(load.outcomes)} ms; every instance served again ` +
        `${Math.round(marks.recoveredAt - marks.wokeAt)} ms after it went on`,
    )
    expectServedThroughout(load.outcomes, marks.hungAt, marks.wokeAt, 'token (reference)')
  }, 90_000)
})
