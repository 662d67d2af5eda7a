/**
 * Issue 15 item 3: three Portico processes behind Debian's nginx, round robin, configured by
 * examples/deploy/nginx.conf, behave as one server. Configuration and keys on Postgres,
 * operational data on Redis, one fixed issuer (nginx's URL). A relying party with
 * openid-client runs every flow through nginx while consecutive requests land on different
 * instances; each instance's own request log shows it served part of every flow (matched to
 * nginx's access log by the `$request_id` nginx forwards as X-Request-Id).
 *
 * Skipped only when nginx is absent and PORTICO_REQUIRE_SERVICES is unset; CI sets it (and
 * `.ci/run` installs nginx-light), so there a missing nginx fails.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { systemClock } from '../../../core/clock.ts'
import { silentLogger } from '../../../core/logger.ts'
import type { KeyRecord } from '../../../core/models/key.ts'
import postgresPlugin from '../../../plugins/postgres/index.ts'
import { freePort } from '../../plugins/fixtures/redis/namespace.ts'
import { devices } from '../sign-in/device-clients.ts'
import {
  discover,
  exchange,
  oidc,
  type RelyingParty,
  signInThroughPages,
  startSignIn,
} from '../sign-in/flow.ts'
import { api, users } from '../sign-in/seed.ts'
import { UserAgent } from '../sign-in/user-agent.ts'
import { type Cluster, startCluster } from './instances.ts'
import { type AccessLine, type Nginx, nginxInstalled, nginxPath, startNginx } from './nginx.ts'

const required = Boolean(process.env.PORTICO_REQUIRE_SERVICES)
if (!nginxInstalled && !required) {
  console.warn(
    `load-balanced.test.ts skipped: ${nginxPath} is not installed (apt-get install nginx-light); ` +
      'with PORTICO_REQUIRE_SERVICES=1 this is a failure',
  )
}

const web = {
  clientId: 'cluster-web',
  secret: 'cluster-web-secret-0123456789abcdef',
  redirectUri: 'https://rp.example.test/cb',
  postLogoutRedirectUri: 'https://rp.example.test/signed-out',
}
const apiSecret = 'api-secret-0123456789abcdef'
const apiCaller: RelyingParty = { clientId: api, secret: apiSecret, redirectUri: '' }
const tv: RelyingParty = { clientId: devices.tv.clientId, redirectUri: '' }

function seed(backChannelLogoutUri: string) {
  return {
    identityResources: ['openid', 'profile', 'email', 'offline_access'],
    apiScopes: [{ name: 'api1' }],
    apiResources: [{ name: api, scopes: ['api1'], apiSecrets: [{ value: apiSecret }] }],
    clients: [
      {
        clientId: web.clientId,
        clientSecrets: [{ value: web.secret }],
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [web.redirectUri],
        postLogoutRedirectUris: [web.postLogoutRedirectUri],
        backChannelLogoutUri,
        allowedScopes: ['openid', 'profile', 'email', 'api1', 'offline_access'],
        allowOfflineAccess: true,
        requireConsent: true,
        accessTokenType: 'reference',
        refreshTokenUsage: 'oneTimeOnly',
      },
      {
        clientId: devices.tv.clientId,
        clientName: devices.tv.clientName,
        requireClientSecret: false,
        allowedGrantTypes: ['urn:ietf:params:oauth:grant-type:device_code'],
        allowedScopes: ['openid', 'profile', 'api1'],
      },
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

describe.skipIf(!nginxInstalled && !required)('three instances behind nginx', () => {
  let cluster: Cluster
  let nginx: Nginx
  let issuer: string
  const logoutTokens: string[] = []
  const receiver = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      logoutTokens.push(new URLSearchParams(await request.text()).get('logout_token') ?? '')
      return new Response(null, { status: 200 })
    },
  })
  /** Requests each instance served through nginx, summed over the flows. */
  const totals = [0, 0, 0]

  beforeAll(async () => {
    if (!nginxInstalled) throw new Error(`${nginxPath} is missing and PORTICO_REQUIRE_SERVICES is set`)
    // nginx's port first: it is the issuer every instance is configured with.
    const port = await freePort()
    issuer = `http://127.0.0.1:${port}`
    cluster = await startCluster({
      count: 3,
      issuer,
      seed: seed(`http://127.0.0.1:${receiver.port}/backchannel`),
    })
    nginx = await startNginx({ port, upstreams: cluster.instances.map((instance) => instance.port) })
  }, 120_000)

  afterAll(async () => {
    console.log(`requests served through nginx per instance: ${totals.join(' / ')}`)
    // What went wrong inside, should anything have: each instance's warnings and errors.
    for (const instance of cluster?.instances ?? []) {
      const problems = instance.lines.filter((line) => /"level":"(warn|error)"/.test(line))
      if (problems.length > 0) console.log(`instance ${instance.index}:\n${problems.join('\n')}`)
    }
    await nginx?.stop()
    await cluster?.close()
    receiver.stop(true)
  }, 60_000)

  /**
   * Runs `flow` between two marks in nginx's access log, then reads which instance served each
   * of its requests: nginx's log says where it sent each `$request_id`, and that instance's own
   * log must show the same id.
   */
  async function spread(name: string, flow: () => Promise<void>): Promise<number[]> {
    const from = await nginx.mark()
    await flow()
    const to = (await nginx.mark()) - 1
    const byPort = new Map(cluster.instances.map((instance) => [String(instance.port), instance]))
    let lines: AccessLine[] = []
    let unmatched: AccessLine[] = []
    // Log lines reach the pipes a moment after the responses: poll, do not sleep.
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await Bun.sleep(50)) {
      lines = nginx.accessLog().slice(from, to)
      const ids = cluster.instances.map((i) => new Set(i.requests().map((r) => r.request_id)))
      unmatched = lines.filter((line) => {
        const instance = byPort.get(line.upstream.split(':')[1] ?? '')
        return !instance || !ids[instance.index]!.has(line.requestId)
      })
      if (unmatched.length === 0) break
    }
    expect(unmatched).toEqual([])
    const ids = new Set(lines.map((line) => line.requestId))
    const served = cluster.instances.map(
      (instance) => instance.requests().filter((r) => ids.has(r.request_id)).length,
    )
    served.forEach((count, i) => {
      totals[i]! += count
    })
    console.log(`${name}: ${lines.length} requests through nginx, per instance ${served.join(' / ')}`)
    expect(served.reduce((a, b) => a + b, 0)).toBe(lines.length)
    expect(served.every((count) => count > 0)).toBe(true)
    return served
  }

  test('three instances started together on empty stores made one signing key per algorithm, and publish the same JWKS', async () => {
    const jwksSets = await Promise.all(
      cluster.instances.map(async (instance) => {
        // Each instance directly, not through nginx.
        const response = await fetch(`${instance.url}/.well-known/openid-configuration/jwks`)
        expect(response.status).toBe(200)
        return (await response.json()) as { keys: { kid: string; alg: string }[] }
      }),
    )
    expect(jwksSets[1]).toEqual(jwksSets[0]!)
    expect(jwksSets[2]).toEqual(jwksSets[0]!)
    expect(jwksSets[0]!.keys.map((key) => key.alg).sort()).toEqual(['ES256', 'RS256'])

    // The keys store itself: one key per family, and the family states list exactly those.
    const store = await postgresPlugin.create(
      { ...cluster.postgres, poolSize: 1 },
      { roles: ['keys'], clock: systemClock, logger: silentLogger },
    )
    let records: KeyRecord[]
    try {
      records = await store.keys!.list()
    } finally {
      await store.close()
    }
    const keys = records.filter((record) => record.use !== 'state')
    expect(keys.map((record) => `${record.use}:${record.algorithm}`).sort()).toEqual([
      'data-protection:A256GCM',
      'signing:ES256',
      'signing:RS256',
    ])
    expect(
      keys
        .filter((record) => record.use === 'signing')
        .map((record) => record.id)
        .sort(),
    ).toEqual(jwksSets[0]!.keys.map((key) => key.kid).sort())
    const created = cluster.instances.flatMap((instance) =>
      instance.lines.filter((line) => line.includes('"event":"keys.created"')),
    )
    expect(created).toHaveLength(3)
  }, 30_000)

  test('nginx spreads consecutive requests over all three instances', async () => {
    const served = await spread('nine discovery requests', async () => {
      for (let i = 0; i < 9; i++) {
        const response = await fetch(`${issuer}/.well-known/openid-configuration`)
        expect(response.status).toBe(200)
        // The fixed issuer, whatever instance answered.
        expect(((await response.json()) as { issuer: string }).issuer).toBe(issuer)
      }
    })
    expect(served).toEqual([3, 3, 3])
  }, 30_000)

  test('sign-in, userinfo, refresh, introspection, revocation and logout, each spread over the instances', async () => {
    let config!: oidc.Configuration
    let tokens!: Awaited<ReturnType<typeof exchange>>
    let browser!: UserAgent

    await spread('sign-in (login, consent, code exchange, userinfo)', async () => {
      config = await discover(issuer, web)
      const started = await startSignIn(config, web, { scope: 'openid profile email api1 offline_access' })
      browser = started.browser
      const callback = await signInThroughPages(started, users.alice)
      expect(callback.status).toBe(0)
      expect(callback.url.startsWith(`${web.redirectUri}?`)).toBe(true)
      tokens = await exchange(config, started, callback.url)
      expect(tokens.claims()).toMatchObject({ iss: issuer, sub: users.alice.subjectId, aud: web.clientId })
      expect(tokens.refresh_token).toBeString()
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, users.alice.subjectId)
      expect(userinfo).toMatchObject({
        sub: users.alice.subjectId,
        name: 'Alice',
        email: 'alice@example.test',
      })
    })

    await spread('tokens (refresh, introspection, revocation)', async () => {
      const asApi = await discover(issuer, apiCaller)
      // The reference access token, opaque to the client, read by the API (RFC 7662).
      expect(await oidc.tokenIntrospection(asApi, tokens.access_token)).toMatchObject({
        active: true,
        sub: users.alice.subjectId,
        client_id: web.clientId,
      })
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!)
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token)
      expect(refreshed.claims()?.sub).toBe(users.alice.subjectId)
      expect(await oidc.fetchUserInfo(config, refreshed.access_token, users.alice.subjectId)).toMatchObject({
        name: 'Alice',
      })
      expect(await oidc.tokenIntrospection(asApi, refreshed.access_token)).toMatchObject({ active: true })
      // RFC 7009: once revoked through one instance, no instance accepts it.
      await oidc.tokenRevocation(config, refreshed.access_token)
      const revoked: Record<string, unknown> = {
        ...(await oidc.tokenIntrospection(asApi, refreshed.access_token)),
      }
      expect(revoked).toEqual({ active: false })
      await oidc.tokenRevocation(config, refreshed.refresh_token!)
      await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
        error: 'invalid_grant',
      })
      // The rotated-away token is spent too (oneTimeOnly).
      await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
        error: 'invalid_grant',
      })
    })

    await spread('logout (end session, back-channel, session gone)', async () => {
      const rediscovered = await discover(issuer, web)
      const url = oidc.buildEndSessionUrl(rediscovered, {
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: web.postLogoutRedirectUri,
        state: 'bye',
      })
      const response = await browser.request(url.toString())
      expect(response.status).toBe(302)
      const location = new URL(response.headers.get('location')!)
      expect(`${location.origin}${location.pathname}`).toBe(web.postLogoutRedirectUri)
      expect(location.searchParams.get('state')).toBe('bye')
      // OIDC Back-Channel Logout 1.0 §2.4: a Logout Token the relying party verifies against the JWKS.
      for (const deadline = Date.now() + 10_000; logoutTokens.length === 0 && Date.now() < deadline; ) {
        await Bun.sleep(50)
      }
      const jwks = createRemoteJWKSet(new URL(rediscovered.serverMetadata().jwks_uri!))
      const { payload } = await jwtVerify(logoutTokens[0]!, jwks, { issuer, audience: web.clientId })
      expect(payload.sid).toBe(tokens.claims()!.sid)
      // The session is gone on every instance: a silent sign-in in the same browser fails.
      const silent = await startSignIn(rediscovered, web, { scope: 'openid', prompt: 'none' }, browser)
      const page = await browser.navigate(silent.url.toString())
      expect(page.status).toBe(0)
      expect(new URL(page.url).searchParams.get('error')).toBe('login_required')
    })
  }, 60_000)

  test('the device flow is spread over the instances', async () => {
    await spread('device flow (codes, polls, verification, login, consent)', async () => {
      const config = await discover(issuer, tv)
      const codes = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile api1' })
      expect(codes.verification_uri).toBe(`${issuer}/device`)
      // The device polls as openid-client does (every `interval` seconds) while the user decides.
      const stopPolling = new AbortController()
      const polled = oidc.pollDeviceAuthorizationGrant(config, codes, undefined, {
        signal: stopPolling.signal,
      })
      polled.catch(() => {})
      try {
        const user = new UserAgent()
        let page = await user.navigate(codes.verification_uri_complete!)
        expect(page.html).toContain('name="user_code"')
        page = await user.submit(page)
        if (page.html.includes('name="password"')) page = await user.submit(page, users.alice)
        expect(page.html).toContain(codes.user_code)
        const done = await user.submit(page, {}, 'allow')
        expect(done.html).toContain('Device connected')
      } catch (error) {
        // The device gives up with the user, not minutes later in another test.
        stopPolling.abort()
        throw error
      }
      const tokens = await polled
      expect(tokens.claims()).toMatchObject({ iss: issuer, sub: users.alice.subjectId, aud: tv.clientId })
    })
  }, 60_000)
})
