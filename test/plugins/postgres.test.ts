import { describe, expect, test } from 'bun:test'
import { fileURLToPath } from 'node:url'
import type postgres from 'postgres'
import { systemClock } from '../../core/clock.ts'
import type { PersistedGrant, PluginInstance, StoreRole } from '../../core/index.ts'
import { silentLogger } from '../../core/logger.ts'
import { client } from '../../core/models/client.ts'
import { StoreUnavailableError } from '../../core/stores/errors.ts'
import { startPurgeJob } from '../../core/stores/purge-job.ts'
import postgresPlugin from '../../plugins/postgres/index.ts'
import { migratePostgres } from '../../plugins/postgres/migrate.ts'
import type { PostgresOptions } from '../../plugins/postgres/options.ts'
import { conformance } from '../conformance/bun.ts'
import { expectFirstMigrationData } from './fixtures/sql/expect-first-migration-data.ts'
import { firstMigrationData, firstMigrationFolder, migrationCount } from './fixtures/sql/first-migration.ts'
import { dropSchema, freePort, freshPostgres, postgresUrl, withPostgres } from './fixtures/sql/namespace.ts'

conformance<PostgresOptions>({
  plugin: postgresPlugin,
  options: () => freshPostgres(),
  cleanup: dropSchema,
  unreachableOptions: async () =>
    freshPostgres({ url: `postgres://root@127.0.0.1:${await freePort()}/test` }),
  module: fileURLToPath(new URL('../../plugins/postgres/index.ts', import.meta.url)),
})

const roles: StoreRole[] = ['configuration', 'operational', 'keys']
const context = { roles, clock: systemClock, logger: silentLogger }

async function open(options: PostgresOptions): Promise<PluginInstance> {
  const instance = await postgresPlugin.create(options, context)
  await instance.migrate!()
  return instance
}

/** Runs `fn` with `count` migrated instances on one fresh schema; closes and drops everything. */
async function withInstances(
  count: number,
  fn: (instances: PluginInstance[], options: PostgresOptions) => Promise<void>,
) {
  const options = freshPostgres()
  const instances: PluginInstance[] = []
  try {
    for (let i = 0; i < count; i++) instances.push(await open(options))
    await fn(instances, options)
  } finally {
    await Promise.all(instances.map((instance) => instance.close()))
    await dropSchema(options)
  }
}

function grant(key: string, expiresAt: number): PersistedGrant {
  return { key, type: 'refresh_token', subjectId: 's', clientId: 'c', createdAt: 0, expiresAt, data: '{}' }
}

async function seedGrants(instance: PluginInstance, expired: number, live: number) {
  const now = Date.now()
  for (let i = 0; i < expired; i++)
    await instance.operational!.grants.store(grant(`expired-${i}`, now - 1000))
  for (let i = 0; i < live; i++) await instance.operational!.grants.store(grant(`live-${i}`, now + 3_600_000))
}

async function historyCount(schema: string): Promise<number> {
  return withPostgres(async (sql) => {
    const [row] = await sql`select count(*)::int as n from ${sql(schema)}.__drizzle_migrations`
    return row!.n as number
  })
}

describe('postgres plugin', () => {
  test('a database made by the first migration migrates forward without losing data', async () => {
    const options = freshPostgres()
    const v0 = firstMigrationFolder('postgres')
    try {
      await withPostgres(async (sql) => {
        await migratePostgres(sql, options.schema!, v0.folder)
        await sql.begin(async (tx) => {
          await tx`select set_config('search_path', ${options.schema!}, true)`
          await tx.unsafe(firstMigrationData)
        })
      })
      expect(await historyCount(options.schema!)).toBe(1)

      const instance = await open(options)
      try {
        await expectFirstMigrationData(instance)
      } finally {
        await instance.close()
      }
      expect(await historyCount(options.schema!)).toBe(migrationCount('postgres'))
      const indexes = await withPostgres(
        (sql) =>
          sql`select indexname from pg_indexes where schemaname = ${options.schema!} and indexname = 'persisted_grants_client_type'`,
      )
      expect(indexes).toHaveLength(1)
    } finally {
      v0.dispose()
      await dropSchema(options)
    }
  })

  test('six instances migrating one schema at once serialize on the advisory lock', async () => {
    const options = freshPostgres()
    const instances = await Promise.all(
      Array.from({ length: 6 }, () => postgresPlugin.create(options, context)),
    )
    try {
      await Promise.all(instances.map((instance) => instance.migrate!()))
      expect(await historyCount(options.schema!)).toBe(migrationCount('postgres'))
      await instances[0]!.operational!.grants.store(grant('k', Date.now() + 60_000))
      expect(await instances[5]!.operational!.grants.get('k')).toMatchObject({ key: 'k' })
    } finally {
      await Promise.all(instances.map((instance) => instance.close()))
      await dropSchema(options)
    }
  }, 30_000)

  test('schemas isolate deployments sharing one database', async () => {
    await withInstances(1, async ([a]) => {
      await withInstances(1, async ([b]) => {
        await a!.operational!.grants.store(grant('only-in-a', Date.now() + 60_000))
        expect(await b!.operational!.grants.get('only-in-a')).toBeUndefined()
        expect(await a!.operational!.grants.get('only-in-a')).toMatchObject({ key: 'only-in-a' })
      })
    })
  })

  test('purge jobs of several instances split the work: every expired row is removed exactly once', async () => {
    await withInstances(3, async (instances) => {
      await seedGrants(instances[0]!, 60, 10)
      const jobs = instances.map((instance) =>
        startPurgeJob({
          stores: instance.operational!,
          clock: systemClock,
          logger: silentLogger,
          batchSize: 5,
          intervalMs: 3_600_000,
          random: () => 0.99,
        }),
      )
      try {
        const counts = await Promise.all(jobs.map((job) => job.runNow()))
        expect(counts.reduce((sum, c) => sum + c!.grants, 0)).toBe(60)
        expect(await instances[1]!.operational!.grants.getAll({ clientId: 'c' })).toHaveLength(10)
      } finally {
        await Promise.all(jobs.map((job) => job.stop()))
      }
    })
  })

  test('a purge skips rows another instance holds instead of waiting for them', async () => {
    await withInstances(1, async ([instance], options) => {
      const { grants } = instance!.operational!
      await seedGrants(instance!, 20, 0)
      const held = ['expired-0', 'expired-1', 'expired-2', 'expired-3', 'expired-4']
      await withPostgres((sql) =>
        sql.begin(async (tx) => {
          // Another session holds 5 expired rows, as a concurrent purge batch would.
          await tx`select key from ${tx(options.schema!)}.persisted_grants where key in ${tx(held)} for update`
          const purge = grants.purgeExpired({ before: Date.now(), batchSize: 4 })
          const waited = new Promise((resolve) => setTimeout(resolve, 3000, 'blocked'))
          expect(await Promise.race([purge, waited])).toBe(15)
        }),
      )
      expect(await grants.purgeExpired({ before: Date.now(), batchSize: 4 })).toBe(5)
    })
  })

  test('a deadlock between removeAll and another session is StoreUnavailableError (503), not a raw error', async () => {
    await withInstances(1, async ([instance], options) => {
      const { grants } = instance!.operational!
      const live = Date.now() + 3_600_000
      // Stored in this order, so removeAll locks `first` before it asks for `second`.
      await grants.store(grant('first', live))
      await grants.store(grant('second', live))
      const table = (tx: postgres.TransactionSql) => tx`${tx(options.schema!)}.persisted_grants`
      const failure = await withPostgres((sql) =>
        sql.begin(async (tx) => {
          // This session waits long before it looks for deadlocks, so the store's session (1 s)
          // is the one Postgres aborts.
          await tx`set local deadlock_timeout = '20s'`
          await tx`update ${table(tx)} set data = 'held' where key = 'second'`
          const removing = grants.removeAll({ clientId: 'c' }).then(
            () => undefined,
            (error: unknown) => error,
          )
          await new Promise((resolve) => setTimeout(resolve, 200))
          await tx`update ${table(tx)} set data = 'held' where key = 'first'`
          return removing
        }),
      )
      expect(failure).toBeInstanceOf(StoreUnavailableError)
    })
  })

  test('close() ends every connection: pg_stat_activity no longer lists them', async () => {
    const applicationName = `portico-test-${crypto.randomUUID().slice(0, 8)}`
    const connections = () =>
      withPostgres(async (sql) => {
        const [row] =
          await sql`select count(*)::int as n from pg_stat_activity where application_name = ${applicationName}`
        return row!.n as number
      })
    const options = freshPostgres({ applicationName })
    try {
      const instance = await open(options)
      await Promise.all([instance.keys!.list(), instance.operational!.grants.get('x')])
      expect(await connections()).toBeGreaterThan(0)
      await instance.close()
      // The server notices a client's goodbye at once; allow it a moment under load.
      for (let i = 0; i < 20 && (await connections()) > 0; i++) await Bun.sleep(100)
      expect(await connections()).toBe(0)
    } finally {
      await dropSchema(options)
    }
  })

  test('lists follow code point order in a database whose collation is a locale’s (ICU "en")', async () => {
    const database = `portico_icu_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`
    await withPostgres((sql) =>
      sql.unsafe(
        `create database ${database} template template0 locale_provider icu icu_locale 'en' locale 'C.UTF-8'`,
      ),
    )
    const url = postgresUrl.replace(/\/[^/]*$/, `/${database}`)
    try {
      const instance = await open(freshPostgres({ url, poolSize: 1 }))
      try {
        for (const clientId of ['a', 'B', 'é', 'Z'])
          await instance.configuration!.clients.upsert(client({ clientId }))
        // A locale collation would give a, B, é, Z; code point order puts capitals first.
        expect((await instance.configuration!.clients.list()).map((c) => c.clientId)).toEqual([
          'B',
          'Z',
          'a',
          'é',
        ])
      } finally {
        await instance.close()
      }
    } finally {
      await withPostgres((sql) => sql.unsafe(`drop database if exists ${database} with (force)`))
    }
  }, 30_000)

  test('start-up errors are clear: unreachable is StoreUnavailableError within 5 s, bad options a TypeError', async () => {
    const started = performance.now()
    const url = `postgres://root@127.0.0.1:${await freePort()}/test`
    const error = await postgresPlugin.create(freshPostgres({ url }), context).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreUnavailableError)
    expect((error as Error).message).toBe('store "postgres" is unavailable')
    expect(performance.now() - started).toBeLessThan(5000)

    await expect(
      postgresPlugin.create(freshPostgres({ schema: 'Robert"; drop table x' }), context),
    ).rejects.toThrow(/options\.schema/)
    await expect(postgresPlugin.create({ url: 'mysql://localhost/x' }, context)).rejects.toThrow(
      /options\.url/,
    )
  })
})
