/**
 * Issue 15 item 4: `kill -9` of one of three instances behind nginx in the middle of sign-ins
 * and under token load. The sign-ins started before the kill (their interaction state, session
 * cookie and consent form made partly by the dead instance) finish on the other two, a refresh
 * token issued before the kill still refreshes, and every request sent after the kill is
 * answered: nginx sends it on to a live instance when the dead one refuses the connection
 * (`proxy_next_upstream error`, examples/deploy/nginx.conf). Only a POST already on the dead
 * instance's socket may get nginx's 502, which nginx does not resend (not idempotent).
 * Then the killed instance rejoins, and a graceful restart (SIGTERM) of another under load
 * fails no request at all.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { connect, type Socket } from 'node:net'
import { freePort } from '../../plugins/fixtures/redis/namespace.ts'
import { discover } from '../sign-in/flow.ts'
import {
  apiCaller,
  clientCredentials,
  faultsConfig,
  faultsSeed,
  introspect,
  jwtClient,
  Load,
  type Outcome,
  oidc,
  type PausedSignIn,
  referenceClient,
  signInToConsent,
  users,
} from './faults-support.ts'
import { type Cluster, startCluster } from './instances.ts'
import { type Nginx, nginxInstalled, nginxPath, startNginx } from './nginx.ts'

const required = Boolean(process.env.PORTICO_REQUIRE_SERVICES)
const NGINX_NOTICES_MS = 200
if (!nginxInstalled && !required) {
  console.warn(`faults-kill.test.ts skipped: ${nginxPath} is not installed (apt-get install nginx-light)`)
}

describe.skipIf(!nginxInstalled && !required)('kill -9 of one of three instances behind nginx', () => {
  let cluster: Cluster
  let nginx: Nginx
  let issuer: string
  /** A balancer's upstream connection to instance 2, left idle from the start to the last test. */
  let idle: KeepAliveConnection
  let idleSince = 0

  beforeAll(async () => {
    const port = await freePort()
    issuer = `http://127.0.0.1:${port}`
    cluster = await startCluster({ count: 3, issuer, seed: faultsSeed(), config: faultsConfig })
    nginx = await startNginx({ port, upstreams: cluster.instances.map((instance) => instance.port) })
    idle = await KeepAliveConnection.open(cluster.instances[2]!.port)
    idleSince = performance.now()
  }, 90_000)

  /** nginx's own account of a failed answer (its error log), for whoever reads a failure. */
  function showNginxErrors(outcomes: Outcome[]): void {
    if (outcomes.some((o) => o.status !== 200))
      console.log(`nginx error log:\n${nginx.errors().slice(-3000)}`)
  }

  afterAll(async () => {
    idle?.close()
    await nginx?.stop()
    await cluster?.close()
  }, 30_000)

  test('sign-ins and refresh tokens begun before the kill finish on the others; no request sent after it fails', async () => {
    const victim = cluster.instances[1]!
    // Before the kill: a finished sign-in (its refresh and reference access token live on) and
    // six sign-ins paused on the consent page, their state spread over all three instances.
    const done = await (await signInToConsent(issuer)).finish()
    expect(done.refresh_token).toBeString()
    const paused: PausedSignIn[] = await Promise.all(Array.from({ length: 6 }, () => signInToConsent(issuer)))
    const servedBefore = victim.requests().length
    expect(servedBefore).toBeGreaterThan(0)

    const { access_token: referenceToken } = (await (
      await clientCredentials(issuer, referenceClient)
    ).json()) as {
      access_token: string
    }
    const load = new Load(
      [
        { kind: 'token (jwt)', send: () => clientCredentials(issuer, jwtClient) },
        { kind: 'token (reference)', send: () => clientCredentials(issuer, referenceClient) },
        { kind: 'introspection', send: () => introspect(issuer, referenceToken) },
        { kind: 'discovery', send: () => fetch(`${issuer}/.well-known/openid-configuration`) },
      ],
      1,
      4,
    )
    for (const deadline = Date.now() + 30_000; load.outcomes.length < 40 && Date.now() < deadline; ) {
      await Bun.sleep(20)
    }
    const killAt = load.now()
    const status = await victim.kill('SIGKILL')
    // Once the process is gone, nginx's worker still has to see its keep-alive connections
    // close (a POST written to one of those is not resent): a moment on a busy machine.
    const deadAt = load.now() + NGINX_NOTICES_MS
    expect(victim.running).toBe(false)

    // The paused sign-ins go on: consent, callback, code exchange with ID Token validation.
    const finished = await Promise.all(paused.map((signIn) => signIn.finish()))
    for (const tokens of finished) {
      expect(tokens.claims()).toMatchObject({ iss: issuer, sub: users.alice.subjectId })
      expect(tokens.refresh_token).toBeString()
    }
    const config = paused[0]!.config
    const refreshed = await oidc.refreshTokenGrant(config, done.refresh_token!)
    expect(refreshed.refresh_token).not.toBe(done.refresh_token)
    expect(await oidc.fetchUserInfo(config, refreshed.access_token, users.alice.subjectId)).toMatchObject({
      name: 'Alice',
    })
    const asApi = await discover(issuer, apiCaller)
    expect(await oidc.tokenIntrospection(asApi, finished[0]!.access_token)).toMatchObject({ active: true })

    const target = load.outcomes.length + 60
    for (const deadline = Date.now() + 30_000; load.outcomes.length < target && Date.now() < deadline; ) {
      await Bun.sleep(20)
    }
    await load.stop()

    const after = load.outcomes.filter((o) => o.sentAt >= deadAt)
    const around = load.outcomes.filter((o) => o.sentAt < deadAt && o.at >= killAt)
    const sentSinceKill = load.outcomes.filter((o) => o.sentAt >= killAt && o.status === 200)
    const firstOk = Math.round(Math.min(...sentSinceKill.map((o) => o.at)) - killAt)
    console.log(
      `kill -9 of instance ${victim.index} (exit ${status}), ${servedBefore} requests served by it before: ` +
        `7 sign-ins and 1 refresh begun before finished after; load: ${load.summary()}; ` +
        `sent before the kill, answered after: ${load.summary(around)}; sent after: ${load.summary(after)}; ` +
        `recovery: the first request sent since the kill answered 200 ${firstOk} ms after it`,
    )
    expect(after.length).toBeGreaterThan(0)
    showNginxErrors(after)
    expect(after.filter((o) => o.status !== 200)).toEqual([])
    // In flight on the dead socket: at most one per worker, and only nginx's 502.
    const failed = load.outcomes.filter((o) => o.status !== 200)
    expect(failed.length).toBeLessThanOrEqual(4)
    for (const outcome of failed) expect(outcome).toMatchObject({ status: 502 })
    expect(cluster.instances.filter((instance) => instance.running).map((i) => i.index)).toEqual([0, 2])
  }, 90_000)

  test('the killed instance, started again, serves the same deployment', async () => {
    const victim = cluster.instances[1]!
    const t0 = performance.now()
    await victim.start()
    await victim.waitReady()
    const ready = performance.now() - t0
    const response = await clientCredentials(victim.url, jwtClient)
    expect(response.status).toBe(200)
    const jwks = await Promise.all(
      cluster.instances.map(async (instance) =>
        (await fetch(`${instance.url}/.well-known/openid-configuration/jwks`)).json(),
      ),
    )
    expect(jwks[1]).toEqual(jwks[0])
    expect(jwks[2]).toEqual(jwks[0])
    console.log(`instance ${victim.index} ready again ${Math.round(ready)} ms after its start`)
  }, 60_000)

  test('a graceful restart (SIGTERM, start, ready) of one instance under load through nginx: no request fails but the keep-alive race', async () => {
    const load = new Load(
      [
        { kind: 'token (jwt)', send: () => clientCredentials(issuer, jwtClient) },
        { kind: 'token (reference)', send: () => clientCredentials(issuer, referenceClient) },
        { kind: 'discovery', send: () => fetch(`${issuer}/.well-known/openid-configuration`) },
      ],
      1,
      4,
    )
    const instance = cluster.instances[0]!
    let restart = 0
    const stopping = { from: 0, to: 0 }
    try {
      for (const deadline = Date.now() + 30_000; load.outcomes.length < 20 && Date.now() < deadline; ) {
        await Bun.sleep(20)
      }
      // In-flight requests finish (shutdownTimeoutSeconds); connections refused meanwhile are
      // sent on by nginx, POSTs included, since nothing reached the instance.
      const t0 = performance.now()
      stopping.from = load.now()
      expect(await instance.kill('SIGTERM')).toBe(0)
      stopping.to = load.now()
      await instance.start()
      await instance.waitReady()
      restart = Math.round(performance.now() - t0)
      const target = load.outcomes.length + 30
      for (const deadline = Date.now() + 30_000; load.outcomes.length < target && Date.now() < deadline; ) {
        await Bun.sleep(20)
      }
    } finally {
      await load.stop()
    }
    console.log(
      `graceful restart of instance ${instance.index} (${restart} ms to ready again): ${load.summary()}`,
    )
    showNginxErrors(load.outcomes)
    // The one failure HTTP/1.1 keep-alive allows: a request nginx wrote on an idle upstream
    // connection at the moment the stopping instance closed it (connection reset). nginx does not
    // resend a POST that may have been read, and the instance never saw it. Seen about once in
    // 10,000 requests around a restart (docs/deployment.md, rolling restarts); anything else fails.
    const failed = load.outcomes.filter((o) => o.status !== 200)
    const raced = failed.filter(
      (o) => o.status === 502 && o.sentAt >= stopping.from - 50 && o.sentAt <= stopping.to + 50,
    )
    expect(failed.filter((o) => !raced.includes(o))).toEqual([])
    expect(raced.length).toBeLessThanOrEqual(2)
  }, 90_000)

  test('an idle keep-alive connection stays open longer than a balancer keeps its own (nginx, ALB: 60 s)', async () => {
    // Were Portico to close it first, a request the balancer sends on it at that moment would
    // fail, and as a POST not be resent (502). Bun's default would have closed it after 10 s.
    const idleMs = 15_000
    const left = idleMs - (performance.now() - idleSince)
    if (left > 0) await Bun.sleep(left)
    expect(idle.closedByServer).toBe(false)
    expect(await idle.statusLine('/healthz')).toBe('HTTP/1.1 200 OK')
  }, 60_000)
})

/** One HTTP/1.1 connection kept alive, as a balancer keeps its upstream connections. */
class KeepAliveConnection {
  /** Whether the server ended the connection. */
  closedByServer = false

  private constructor(private readonly socket: Socket) {
    socket.on('end', () => {
      this.closedByServer = true
    })
  }

  static async open(port: number): Promise<KeepAliveConnection> {
    const socket = connect(port, '127.0.0.1')
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    const connection = new KeepAliveConnection(socket)
    expect(await connection.statusLine('/healthz')).toBe('HTTP/1.1 200 OK')
    return connection
  }

  /** A GET on this connection, answered by the status line of its (small, one-chunk) response. */
  statusLine(path: string): Promise<string> {
    const answer = new Promise<string>((resolve) => {
      this.socket.once('data', (chunk) => resolve(chunk.toString('latin1').split('\r\n')[0]!))
    })
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`)
    return answer
  }

  close(): void {
    this.socket.destroy()
  }
}
