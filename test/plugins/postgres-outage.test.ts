/**
 * The database lost under a running Postgres plugin (a private server, stopped with
 * `pg_ctl -m immediate`) and started again on the same port: calls reject fast with
 * StoreUnavailableError, nothing crashes, the same instance serves again by itself, and the
 * HTTP layer answers 503 meanwhile.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import type { PersistedGrant } from '../../core/models/grant.ts'
import type { PluginInstance } from '../../core/stores/contract.ts'
import { createHandle, grantKey } from '../../core/stores/handles.ts'
import postgresPlugin from '../../plugins/postgres/index.ts'
import { createPorticoApp } from '../../server/app.ts'
import { parseConfig } from '../../server/config/load.ts'
import type { Stores } from '../../server/stores/load.ts'
import { eventually, withinMs as within } from '../conformance/deadline.ts'
import { PrivatePostgres } from './fixtures/sql/private-postgres.ts'

const roles = ['configuration', 'operational', 'keys'] as const
/** Failing fast means well under this; a hang would run into the test timeout. */
const promptlyMs = 2_500
const unavailable = { code: 'ERR_STORE_UNAVAILABLE', name: 'StoreUnavailableError' }

function aGrant(): PersistedGrant {
  const now = Date.now()
  return {
    key: grantKey(createHandle(), 'refresh_token'),
    type: 'refresh_token',
    subjectId: 'alice',
    clientId: 'web',
    createdAt: now,
    expiresAt: now + 600_000,
    data: '{}',
  }
}

describe('postgres plugin: the database stopped and started under a running instance', () => {
  let server: PrivatePostgres
  let instance: PluginInstance
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    server = await PrivatePostgres.start()
    instance = await postgresPlugin.create(
      { url: server.url, schema: 'portico', connectTimeout: 2 },
      { roles: [...roles], clock: systemClock, logger: silentLogger },
    )
    await instance.migrate!()
  }, 60_000)

  afterAll(async () => {
    await instance?.close()
    server?.destroy()
    process.off('unhandledRejection', onUnhandled)
  }, 30_000)

  test('calls reject with StoreUnavailableError while down, and the same instance resumes', async () => {
    const { grants, sessions, deviceCodes, replay } = instance.operational!
    const { clients, users } = instance.configuration!
    const before = aGrant()
    await grants.store(before)

    // Consumes on the wire when the server goes settle (an outcome or unavailable), never twice.
    const inFlight = Array.from({ length: 50 }, () =>
      grants.consume(before.key).then(
        (result) => result.outcome,
        (error: unknown) => error,
      ),
    )
    server.stop()
    const outcomes = await within(promptlyMs * 2, Promise.all(inFlight), 'consumes in flight at the stop')
    expect(outcomes.filter((outcome) => outcome === 'consumed').length).toBeLessThanOrEqual(1)
    for (const outcome of outcomes) {
      if (typeof outcome !== 'string') expect(outcome).toMatchObject(unavailable)
    }

    const calls: [string, () => Promise<unknown>][] = [
      ['grants.get', () => grants.get(before.key)],
      ['grants.store', () => grants.store(aGrant())],
      ['grants.consume', () => grants.consume(before.key)],
      ['grants.removeAll', () => grants.removeAll({ clientId: 'web' })],
      ['grants.purgeExpired', () => grants.purgeExpired({ before: Date.now(), batchSize: 10 })],
      ['sessions.get', () => sessions.get('s')],
      ['deviceCodes.findByUserCode', () => deviceCodes.findByUserCode('ABCD-EFGH')],
      ['replay.addIfAbsent', () => replay.addIfAbsent('jti', Date.now() + 60_000)],
      ['clients.findClientById', () => clients.findClientById('web')],
      ['users.findByUsername', () => users.findByUsername('alice')],
      ['keys.list', () => instance.keys!.list()],
      ['health', () => instance.health()],
    ]
    for (const [name, call] of calls) {
      await expect(within(promptlyMs, call(), name), `${name} while Postgres is down`).rejects.toMatchObject(
        unavailable,
      )
    }

    server.restart()
    await eventually(() => instance.health(), 10_000, 'health() must resolve again after Postgres returns')
    // What was committed before the stop is still there; new writes work on the same instance.
    expect(await grants.get(before.key)).toMatchObject({ key: before.key })
    const after = aGrant()
    await grants.store(after)
    expect(await grants.consume(after.key)).toMatchObject({ outcome: 'consumed' })
    expect(unhandled).toEqual([])
  }, 60_000)

  test('/readyz and the token endpoint answer 503 while down, and recover by themselves', async () => {
    const config = parseConfig(
      { store: { plugin: 'postgres', options: { url: server.url } } },
      { baseDir: '.' },
    )
    const stores = {
      configuration: instance.configuration!,
      operational: instance.operational!,
      keys: instance.keys!,
    } satisfies Stores
    const app = createPorticoApp({
      config,
      stores,
      instances: [{ plugin: 'postgres', roles: [...roles], instance }],
      logger: silentLogger,
      clock: systemClock,
    })
    const tokenRequest = () =>
      app.request('/connect/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'm2m',
          client_secret: 'secret',
        }),
      })
    await eventually(() => instance.health(), 10_000, 'Postgres is up before the check')
    expect((await app.request('/readyz')).status).toBe(200)

    server.stop()
    const ready = await within(promptlyMs, app.request('/readyz'), '/readyz while Postgres is down')
    expect(ready.status).toBe(503)
    expect((await app.request('/healthz')).status).toBe(200)
    const token = await within(promptlyMs, tokenRequest(), '/connect/token while Postgres is down')
    expect(token.status).toBe(503)
    expect(await token.json()).toMatchObject({ error: 'temporarily_unavailable' })

    server.restart()
    await eventually(
      async () => {
        const response = await app.request('/readyz')
        if (response.status !== 200) throw new Error(`/readyz is ${response.status}`)
      },
      10_000,
      '/readyz must answer 200 again after Postgres returns',
    )
    // An unknown client is a 401 again, not a 503: the store answers.
    expect((await tokenRequest()).status).toBe(401)
    expect(unhandled).toEqual([])
  }, 60_000)
})
