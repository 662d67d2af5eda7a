import { afterAll, describe, expect, test } from 'bun:test'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import type { PersistedGrant } from '../../core/models/grant.ts'
import type { PluginInstance, StoreRole } from '../../core/stores/contract.ts'
import { createHandle, grantKey } from '../../core/stores/handles.ts'
import redis from '../../plugins/redis/index.ts'
import type { RedisStoreOptions } from '../../plugins/redis/options.ts'
import { conformance } from '../conformance/bun.ts'
import { commandsFor as monitorCommands } from './fixtures/redis/monitor.ts'
import { dropPrefix, freePort, freshOptions, sharedRedisUrl } from './fixtures/redis/namespace.ts'

const module = fileURLToPath(new URL('../../plugins/redis/index.ts', import.meta.url))

conformance<RedisStoreOptions>({
  plugin: redis,
  options: freshOptions,
  cleanup: dropPrefix,
  unreachableOptions: async () => ({
    url: `redis://127.0.0.1:${await freePort()}`,
    prefix: 'portico-test:none:',
  }),
  module,
})

// The Cluster layout: grants, sessions and replay ids spread over several hash-tag buckets, so
// every filter fans out over them. Same contract, same kit.
conformance<RedisStoreOptions>({
  plugin: redis,
  options: () => ({ ...freshOptions(), buckets: 7 }),
  cleanup: dropPrefix,
  roles: ['operational'],
  module,
})

describe('redis plugin specifics', () => {
  const context = { roles: ['operational'] as StoreRole[], clock: systemClock, logger: silentLogger }
  const opened: [PluginInstance, RedisStoreOptions][] = []
  const open = async (options: RedisStoreOptions) => {
    const instance = await redis.create(options, context)
    opened.push([instance, options])
    return instance.operational!
  }
  afterAll(async () => {
    for (const [instance, options] of opened) {
      await instance.close()
      await dropPrefix(options)
    }
  })

  function aGrant(fields: Partial<PersistedGrant> = {}): PersistedGrant {
    const now = Date.now()
    return {
      key: grantKey(createHandle(), 'refresh_token'),
      type: 'refresh_token',
      subjectId: 'alice',
      sessionId: 'sid-1',
      clientId: 'web',
      createdAt: now,
      expiresAt: now + 60_000,
      data: '{}',
      ...fields,
    }
  }

  /** ioredis sends EVAL the first time a script runs on a connection, EVALSHA afterwards. */
  const commandsFor = async (prefix: string, run: () => Promise<unknown>) =>
    (await monitorCommands(sharedRedisUrl, prefix, run)).map((command) =>
      command === 'EVALSHA' ? 'EVAL' : command,
    )

  test('two prefixes on one Redis are two separate stores', async () => {
    const a = await open(freshOptions())
    const b = await open(freshOptions())
    const grant = aGrant()
    await a.grants.store(grant)
    expect(await b.grants.get(grant.key)).toBeUndefined()
    expect(await b.grants.removeAll({ subjectId: 'alice' })).toBe(0)
    expect(await a.grants.get(grant.key)).toEqual(grant)
  })

  test('the db option (or the URL path) picks the database', async () => {
    const options = { ...freshOptions(), db: 5 }
    const store = await open(options)
    const fromUrl = await open({ url: `${sharedRedisUrl}/5`, prefix: options.prefix })
    const grant = aGrant()
    await store.grants.store(grant)
    expect(await fromUrl.grants.get(grant.key)).toEqual(grant)
    const raw = new Redis(sharedRedisUrl, { db: 5 })
    try {
      expect((await raw.scan('0', 'MATCH', `${options.prefix}*`, 'COUNT', 1000))[1].length).toBeGreaterThan(0)
      await raw.select(0)
      const inDb0 = await raw.scan('0', 'MATCH', `${options.prefix}*`, 'COUNT', 10_000)
      expect(inDb0[1]).toEqual([])
    } finally {
      await dropPrefixInDb(raw, 5, options.prefix!)
      raw.disconnect()
    }
  })

  test('once every record has expired in Redis, no key is left behind (indexes included)', async () => {
    const options = freshOptions()
    const { grants, sessions, deviceCodes, replay } = await open(options)
    const now = Date.now()
    const expiresAt = now + 300
    await grants.store(aGrant({ expiresAt }))
    await grants.store(aGrant({ expiresAt, subjectId: 'bob', sessionId: 'sid-2' }))
    await sessions.create({
      key: 's1',
      subjectId: 'alice',
      sessionId: 'sid-1',
      createdAt: now,
      renewedAt: now,
      expiresAt,
      data: '{}',
    })
    await deviceCodes.store({
      deviceCodeKey: 'd1',
      userCode: 'WXYZ-1234',
      clientId: 'tv',
      status: 'pending',
      createdAt: now,
      expiresAt,
      data: '{}',
    })
    await replay.addIfAbsent('jti-1', expiresAt)
    const raw = new Redis(sharedRedisUrl)
    try {
      expect((await raw.scan('0', 'MATCH', `${options.prefix}*`, 'COUNT', 10_000))[1].length).toBeGreaterThan(
        5,
      )
      await Bun.sleep(1_000)
      expect((await raw.scan('0', 'MATCH', `${options.prefix}*`, 'COUNT', 10_000))[1]).toEqual([])
    } finally {
      raw.disconnect()
    }
  })

  test('filters read indexes, never the keyspace; consume and get are one command each', async () => {
    const options = freshOptions()
    const { grants } = await open(options)
    const grant = aGrant()
    await grants.store(grant)
    await grants.store(aGrant({ clientId: 'tv' }))
    const filters = await commandsFor(options.prefix!, async () => {
      await grants.getAll({ subjectId: 'alice' })
      await grants.getAll({ clientId: 'tv', type: 'refresh_token' })
      await grants.removeAll({ sessionId: 'sid-1', clientId: 'tv' })
    })
    expect(filters).toEqual(['EVAL', 'EVAL', 'EVAL'])
    expect(await commandsFor(options.prefix!, () => grants.consume(grant.key))).toEqual(['EVAL'])
    expect(await commandsFor(options.prefix!, () => grants.get(grant.key))).toEqual(['HGETALL'])
  })

  test('the sid index lives as long as its session, follows touch, and goes with remove', async () => {
    const options = freshOptions()
    const { sessions } = await open(options)
    const now = Date.now()
    const session = {
      key: 's-sid',
      subjectId: 'alice',
      sessionId: 'sid-indexed',
      createdAt: now,
      renewedAt: now,
      expiresAt: now + 60_000,
      data: '{}',
    }
    await sessions.create(session)
    const index = `${options.prefix}{0}:sessions:sessionId:sid-indexed`
    const raw = new Redis(sharedRedisUrl)
    try {
      expect(await raw.zrange(index, 0, -1)).toEqual(['s-sid'])
      expect(await raw.pttl(index)).toBeWithin(50_000, 60_001)
      await sessions.touch('s-sid', { renewedAt: now, expiresAt: now + 600_000 })
      expect(await raw.pttl(index)).toBeWithin(590_000, 600_001)
      const lookup = await commandsFor(options.prefix!, () => sessions.findBySessionId('sid-indexed'))
      expect(lookup).toEqual(['EVAL'])
      // A session written before the sid index existed is indexed by its next renewal.
      await raw.del(index)
      expect(await sessions.findBySessionId('sid-indexed')).toBeUndefined()
      await sessions.touch('s-sid', { renewedAt: now, expiresAt: now + 600_000 })
      expect(await sessions.findBySessionId('sid-indexed')).toMatchObject({ key: 's-sid' })
      await sessions.remove('s-sid')
      expect(await raw.exists(index)).toBe(0)
      expect(await sessions.findBySessionId('sid-indexed')).toBeUndefined()
    } finally {
      raw.disconnect()
    }
  })

  test('close() ends the connection: CLIENT LIST no longer shows it', async () => {
    const connectionName = `portico-test-${crypto.randomUUID().slice(0, 8)}`
    const raw = new Redis(sharedRedisUrl)
    const listed = async () => String(await raw.client('LIST')).includes(`name=${connectionName}`)
    try {
      const instance = await redis.create({ ...freshOptions(), connectionName }, context)
      await instance.operational!.grants.get('x')
      expect(await listed()).toBe(true)
      await instance.close()
      for (let i = 0; i < 20 && (await listed()); i++) await Bun.sleep(100)
      expect(await listed()).toBe(false)
    } finally {
      raw.disconnect()
    }
  })

  test('options that would break the key layout are refused', async () => {
    await expect(redis.create({ ...freshOptions(), prefix: 'a{b}:' }, context)).rejects.toThrow('prefix')
    await expect(redis.create({ ...freshOptions(), buckets: 0 }, context)).rejects.toThrow('buckets')
    const withKeyPrefix = { ...freshOptions(), keyPrefix: 'x:' } as RedisStoreOptions
    await expect(redis.create(withKeyPrefix, context)).rejects.toThrow('keyPrefix')
  })
})

async function dropPrefixInDb(raw: Redis, db: number, prefix: string): Promise<void> {
  await raw.select(db)
  const [, keys] = await raw.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 10_000)
  if (keys.length > 0) await raw.unlink(...keys)
}
