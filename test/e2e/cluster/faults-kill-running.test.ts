/**
 * Issue 15 item 4: `kill -9` of one of three instances behind nginx while six sign-ins are
 * running, from the authorization request to the code exchange. Each finishes on the other
 * two. A request that was on the dead instance when it died gets nginx's 502 (nginx cannot
 * resend a POST that reached an instance), and the user or relying party sends it again; a
 * code the dead instance consumed before dying makes the relying party start again. Prints how
 * many of each it took.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { freePort } from '../../plugins/fixtures/redis/namespace.ts'
import { discover, exchange, startSignIn } from '../sign-in/flow.ts'
import { UserAgent } from '../sign-in/user-agent.ts'
import { faultsConfig, faultsSeed, oidc, users, web } from './faults-support.ts'
import { type Cluster, startCluster } from './instances.ts'
import { type Nginx, nginxInstalled, nginxPath, startNginx } from './nginx.ts'

const required = Boolean(process.env.PORTICO_REQUIRE_SERVICES)
/** How long a person takes to press reload after an error page. */
const RESEND_AFTER_MS = 250
if (!nginxInstalled && !required) {
  console.warn(
    `faults-kill-running.test.ts skipped: ${nginxPath} is not installed (apt-get install nginx-light)`,
  )
}

describe.skipIf(!nginxInstalled && !required)('kill -9 of one of three instances while sign-ins run', () => {
  let cluster: Cluster
  let nginx: Nginx
  let issuer: string

  beforeAll(async () => {
    const port = await freePort()
    issuer = `http://127.0.0.1:${port}`
    cluster = await startCluster({ count: 3, issuer, seed: faultsSeed(), config: faultsConfig })
    nginx = await startNginx({ port, upstreams: cluster.instances.map((instance) => instance.port) })
  }, 90_000)

  afterAll(async () => {
    await nginx?.stop()
    await cluster?.close()
  }, 30_000)

  test('kill -9 while sign-ins are running: each finishes, resending what the dead instance held', async () => {
    const victim = cluster.instances[1]!
    const servedBefore = victim.requests().length
    // Six users' browsers at once, from the authorization request to the code exchange.
    let settled = 0
    const running = Array.from({ length: 6 }, () => signInResending(issuer).finally(() => settled++))
    // Killed once it has served about a third of theirs (some 45 requests in all, round robin):
    // they are mid-way, part of their state made by it.
    while (victim.requests().length < servedBefore + 10) {
      if (settled === running.length) throw new Error('the sign-ins finished before the kill')
      await Bun.sleep(10)
    }
    const servedPart = victim.requests().length - servedBefore
    await victim.kill('SIGKILL')
    const results = await Promise.all(running)
    for (const result of results) expect(result.sub).toBe(users.alice.subjectId)
    const resends = results.reduce((n, r) => n + r.resends, 0)
    const restarts = results.reduce((n, r) => n + r.restarts, 0)
    console.log(
      `kill -9 of instance ${victim.index} after it served ${servedPart} requests of 6 running sign-ins: ` +
        `all 6 finished; ${resends} requests resent after nginx's 502, ${restarts} sign-ins started again`,
    )
    // Only what was on the dead instance, or on nginx's last connections to it, was resent.
    expect(resends).toBeLessThanOrEqual(12)
    expect(cluster.instances.filter((instance) => instance.running).map((i) => i.index)).toEqual([0, 2])
  }, 90_000)
})

/**
 * A user signing in while an instance may die: a request nginx answers 502 (it was on the dead
 * instance, and nginx cannot resend a POST) is sent again (twice at most), as a user presses
 * reload and a relying party retries; a code the dead instance consumed before dying leaves the relying party
 * an invalid_grant (RFC 6749 §4.1.2: used once), and it starts the sign-in again.
 */
async function signInResending(issuer: string) {
  let resends = 0
  const resending = async (send: () => Promise<Response>) => {
    let response = await send()
    // Sent again after a moment, as a person would; nginx may still hold a keep-alive
    // connection to the dead instance for that long, hence a second try.
    for (let again = 0; response.status === 502 && again < 2; again++) {
      resends += 1
      await response.body?.cancel()
      await Bun.sleep(RESEND_AFTER_MS)
      response = await send()
    }
    return response
  }
  class ResendingAgent extends UserAgent {
    override request(url: string, init: RequestInit = {}): Promise<Response> {
      return resending(() => super.request(url, init))
    }
  }
  const rp = await discover(issuer, web)
  rp[oidc.customFetch] = (url, options) => resending(() => fetch(url, options as RequestInit))
  const browser = new ResendingAgent((url) => url.startsWith(web.redirectUri))
  for (let restarts = 0; restarts < 3; restarts++) {
    const started = await startSignIn(rp, web, { scope: 'openid profile' }, browser)
    let page = await browser.navigate(started.url.toString())
    if (page.html.includes('name="password"')) page = await browser.submit(page, users.alice)
    if (page.html.includes('name="decision"')) page = await browser.submit(page, {}, 'allow')
    if (page.status !== 0)
      throw new Error(`the sign-in stopped at ${page.url} (${page.status}): ${page.html.slice(0, 300)}`)
    try {
      const tokens = await exchange(rp, started, page.url)
      return { sub: tokens.claims()?.sub, resends, restarts }
    } catch (error) {
      if ((error as { error?: string }).error !== 'invalid_grant') throw error
    }
  }
  throw new Error('the sign-in did not finish in three attempts')
}
