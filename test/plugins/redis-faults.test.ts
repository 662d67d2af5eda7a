/**
 * Redis dying under a running plugin (kill -9 of a private redis-server) and coming back on
 * the same port: calls fail fast with StoreUnavailableError, nothing queues, nothing crashes,
 * and the same instance serves again once Redis returns. Over HTTP, /readyz and requests that
 * need Redis answer 503 meanwhile, and recover by themselves.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import type { PersistedGrant } from '../../core/models/grant.ts'
import type { PluginInstance } from '../../core/stores/contract.ts'
import { createHandle, grantKey } from '../../core/stores/handles.ts'
import redis from '../../plugins/redis/index.ts'
import { parseConfig } from '../../server/config/load.ts'
import { startPortico } from '../../server/start.ts'
import { eventually, withinMs as within } from '../conformance/deadline.ts'
import { PrivateRedis } from './fixtures/redis/private-server.ts'

const roles = ['configuration', 'operational', 'keys'] as const
/** Fail fast means well under this; a hang would take the command timeout or forever. */
const promptlyMs = 1_500

function aGrant(): PersistedGrant {
  const now = Date.now()
  return {
    key: grantKey(createHandle(), 'refresh_token'),
    type: 'refresh_token',
    subjectId: 'alice',
    clientId: 'web',
    createdAt: now,
    expiresAt: now + 60_000,
    data: '{}',
  }
}

const unavailable = { code: 'ERR_STORE_UNAVAILABLE', name: 'StoreUnavailableError' }

describe('redis plugin: Redis killed and restarted under a running instance', () => {
  let server: PrivateRedis
  let instance: PluginInstance
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    server = await PrivateRedis.start()
    instance = await redis.create(
      { url: server.url, prefix: 'portico-faults:' },
      { roles, clock: systemClock, logger: silentLogger },
    )
  })

  afterAll(async () => {
    await instance?.close()
    await server?.stop()
    process.off('unhandledRejection', onUnhandled)
  })

  test('calls reject with StoreUnavailableError while down, and the same instance resumes', async () => {
    const { grants, sessions, deviceCodes, replay } = instance.operational!
    const { clients, users } = instance.configuration!
    const keys = instance.keys!
    const before = aGrant()
    await grants.store(before)
    expect(await grants.get(before.key)).toEqual(before)

    // Commands on the wire when Redis dies settle too (an outcome or unavailable), never hang,
    // and are not resent after reconnecting, so no consume can win twice.
    const inFlight = Array.from({ length: 200 }, () =>
      grants.consume(before.key).then(
        (result) => result.outcome,
        (error: unknown) => error,
      ),
    )
    await server.kill()
    const outcomes = await within(promptlyMs * 2, Promise.all(inFlight), 'consumes in flight at the kill')
    expect(outcomes.filter((outcome) => outcome === 'consumed').length).toBeLessThanOrEqual(1)
    for (const outcome of outcomes) {
      if (typeof outcome !== 'string') expect(outcome).toMatchObject(unavailable)
    }

    const calls: [string, () => Promise<unknown>][] = [
      ['grants.get', () => grants.get(before.key)],
      ['grants.store', () => grants.store(aGrant())],
      ['grants.consume', () => grants.consume(before.key)],
      ['grants.getAll', () => grants.getAll({ subjectId: 'alice' })],
      ['grants.removeAll', () => grants.removeAll({ clientId: 'web' })],
      ['sessions.get', () => sessions.get('s')],
      ['deviceCodes.findByUserCode', () => deviceCodes.findByUserCode('ABCD-EFGH')],
      ['replay.addIfAbsent', () => replay.addIfAbsent('jti', Date.now() + 60_000)],
      ['clients.findClientById', () => clients.findClientById('web')],
      ['users.findByUsername', () => users.findByUsername('alice')],
      ['keys.list', () => keys.list()],
      ['health', () => instance.health()],
    ]
    for (const [name, call] of calls) {
      await expect(within(promptlyMs, call(), name), `${name} while Redis is down`).rejects.toMatchObject(
        unavailable,
      )
    }

    // Nothing queues while Redis is down: a burst is refused at once, not held for later.
    const burst = await within(
      promptlyMs,
      Promise.allSettled(Array.from({ length: 5_000 }, () => grants.get(before.key))),
      'a burst of 5000 gets while down',
    )
    expect(burst.every((r) => r.status === 'rejected' && (r.reason as Error).name === unavailable.name)).toBe(
      true,
    )

    await server.restart()
    await eventually(() => instance.health(), 10_000, 'health() must resolve again after Redis returns')
    const after = aGrant()
    await grants.store(after)
    expect(await grants.get(after.key)).toEqual(after)
    expect(await grants.consume(after.key)).toEqual({
      outcome: 'consumed',
      record: { ...after, consumedAt: expect.any(Number) },
    })
    expect(unhandled).toEqual([])
  }, 30_000)

  test('over HTTP: /readyz and token requests answer 503 while Redis is down, then 200 again', async () => {
    // Configuration and keys in memory, operational data on the private Redis: only Redis fails.
    const secret = 'reference-secret-0123456789'
    const config = parseConfig(
      {
        port: 0,
        hostname: '127.0.0.1',
        stores: {
          configuration: { plugin: 'memory', options: {} },
          keys: { plugin: 'memory', options: {} },
          operational: { plugin: 'redis', options: { url: server.url, prefix: 'portico-faults-http:' } },
        },
        seed: {
          apiScopes: [{ name: 'api1' }],
          apiResources: [{ name: 'https://api.example.com', scopes: ['api1'] }],
          clients: [
            {
              clientId: 'reference',
              clientSecrets: [{ value: secret }],
              allowedGrantTypes: ['client_credentials'],
              allowedScopes: ['api1'],
              accessTokenType: 'reference',
            },
          ],
        },
      },
      { baseDir: import.meta.dir },
    )
    await eventually(() => instance.health(), 10_000, 'Redis is up before the server starts')
    const running = await startPortico(config, { logger: silentLogger, clock: systemClock })
    const readyz = () => fetch(new URL('/readyz', running.url))
    const discovery = await fetch(new URL('/.well-known/openid-configuration', running.url))
    const { token_endpoint } = (await discovery.json()) as { token_endpoint: string }
    const token = () =>
      fetch(token_endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`reference:${secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api1' }),
      })
    try {
      expect((await readyz()).status).toBe(200)
      expect((await token()).status).toBe(200)

      await server.kill()
      const down = await within(promptlyMs * 2, readyz(), '/readyz while Redis is down')
      expect(down.status).toBe(503)
      expect(await down.json()).toMatchObject({ status: 'unavailable' })
      expect((await fetch(new URL('/healthz', running.url))).status).toBe(200)
      // A reference token must be stored in Redis: RFC 6749 §5.2 error, never a 500 or a hang.
      const refused = await within(promptlyMs * 2, token(), 'a token request while Redis is down')
      expect(refused.status).toBe(503)
      expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable' })

      await server.restart()
      await eventually(
        async () => {
          const response = await readyz()
          if (response.status !== 200) throw new Error(`/readyz is ${response.status}`)
        },
        10_000,
        '/readyz must answer 200 again after Redis returns',
      )
      const issued = await token()
      expect(issued.status).toBe(200)
      expect(await issued.json()).toMatchObject({ token_type: 'Bearer' })
    } finally {
      await running.shutdown()
    }
    expect(unhandled).toEqual([])
  }, 30_000)
})
