/**
 * The common load-balanced split, started the way an operator starts it (config → stores →
 * key ring → HTTP on a real port): configuration and keys on Postgres (a fresh schema),
 * operational data on Redis (a fresh prefix). A full client-credentials flow with reference
 * tokens must keep its tokens in Redis, its clients and keys in Postgres, and work end to end.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import postgres from 'postgres'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import type { PluginInstance } from '../../core/stores/contract.ts'
import { grantKey } from '../../core/stores/handles.ts'
import redis from '../../plugins/redis/index.ts'
import { parseConfig } from '../../server/config/load.ts'
import { type RunningPortico, startPortico } from '../../server/start.ts'
import { dropPrefix, freshOptions } from './fixtures/redis/namespace.ts'

const postgresUrl = process.env.PORTICO_TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test'
const api = 'https://api.example.com'
const secrets = { api: 'api-secret-0123456789', m2m: 'm2m-secret-0123456789', ref: 'ref-secret-0123456789' }

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`
}

describe('mixed deployment: configuration + keys on Postgres, operational on Redis', () => {
  const schema = `portico_${randomBytes(6).toString('hex')}`
  const redisOptions = freshOptions()
  const sql = postgres(postgresUrl, { max: 1, onnotice: () => {} })
  let running: RunningPortico
  /** A second look at the same Redis prefix, as another instance behind the load balancer. */
  let peer: PluginInstance
  let discovery: Record<string, string>

  const post = async (url: string, body: Record<string, string>, authorization: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
      body: new URLSearchParams(body),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }
  const introspect = (token: string) =>
    post(discovery.introspection_endpoint!, { token }, basic(api, secrets.api))

  beforeAll(async () => {
    const pg = { plugin: 'postgres', options: { url: postgresUrl, schema, poolSize: 4 } }
    const config = parseConfig(
      {
        port: 0,
        hostname: '127.0.0.1',
        keySecret: 'mixed-deployment-key-secret',
        stores: { configuration: pg, keys: pg, operational: { plugin: 'redis', options: redisOptions } },
        seed: {
          apiScopes: [{ name: 'api1.read' }],
          apiResources: [{ name: api, scopes: ['api1.read'], apiSecrets: [{ value: secrets.api }] }],
          clients: [
            {
              clientId: 'm2m',
              clientSecrets: [{ value: secrets.m2m }],
              allowedGrantTypes: ['client_credentials'],
              allowedScopes: ['api1.read'],
            },
            {
              clientId: 'reference',
              clientSecrets: [{ value: secrets.ref }],
              allowedGrantTypes: ['client_credentials'],
              allowedScopes: ['api1.read'],
              accessTokenType: 'reference',
            },
          ],
        },
      },
      { baseDir: import.meta.dir },
    )
    running = await startPortico(config, { logger: silentLogger, clock: systemClock })
    peer = await redis.create(redisOptions, {
      roles: ['operational'],
      clock: systemClock,
      logger: silentLogger,
    })
    const response = await fetch(new URL('/.well-known/openid-configuration', running.url))
    discovery = (await response.json()) as Record<string, string>
  }, 30_000)

  afterAll(async () => {
    await running?.shutdown()
    await peer?.close()
    await dropPrefix(redisOptions)
    await sql`drop schema if exists ${sql(schema)} cascade`
    await sql.end({ timeout: 5 })
  })

  test('each role is served by the plugin the config names, and /readyz checks both', async () => {
    const served = running.deps.instances.map(({ plugin, roles }) => [plugin, [...roles].sort()])
    expect(served.sort()).toEqual([
      ['postgres', ['configuration', 'keys']],
      ['redis', ['operational']],
    ])
    expect((await fetch(new URL('/readyz', running.url))).status).toBe(200)
  })

  test('a JWT access token is signed with a key kept in Postgres and verifies against the JWKS', async () => {
    const { status, body } = await post(
      discovery.token_endpoint!,
      { grant_type: 'client_credentials', scope: 'api1.read' },
      basic('m2m', secrets.m2m),
    )
    expect(status).toBe(200)
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri!))
    const { payload } = await jwtVerify(body.access_token as string, jwks, {
      issuer: discovery.issuer!,
      audience: api,
    })
    expect(payload.client_id).toBe('m2m')
    const [keys] = await sql<{ count: number }[]>`select count(*)::int as count from ${sql(schema)}.keys`
    expect(keys?.count).toBeGreaterThan(0)
  })

  test('a reference token lives in Redis: introspected active, revoked, then inactive', async () => {
    const { status, body } = await post(
      discovery.token_endpoint!,
      { grant_type: 'client_credentials', scope: 'api1.read' },
      basic('reference', secrets.ref),
    )
    expect(status).toBe(200)
    const handle = body.access_token as string
    const key = grantKey(handle, 'reference_token')

    // Another instance sharing the Redis prefix sees the token; Postgres never held it.
    expect(await peer.operational!.grants.get(key)).toMatchObject({
      clientId: 'reference',
      type: 'reference_token',
    })
    const [grants] = await sql<
      { count: number }[]
    >`select count(*)::int as count from ${sql(schema)}.persisted_grants`
    expect(grants?.count).toBe(0)

    expect(await introspect(handle)).toEqual({
      status: 200,
      body: expect.objectContaining({ active: true, client_id: 'reference', scope: 'api1.read' }),
    })
    const revoked = await post(
      discovery.revocation_endpoint!,
      { token: handle },
      basic('reference', secrets.ref),
    )
    expect(revoked.status).toBe(200)
    expect(await peer.operational!.grants.get(key)).toBeUndefined()
    expect(await introspect(handle)).toEqual({ status: 200, body: { active: false } })
  })
})
