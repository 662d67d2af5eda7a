import { describe, expect, test } from 'bun:test'
import { fileURLToPath } from 'node:url'
import { createClient } from '@libsql/client'
import { systemClock } from '../../core/clock.ts'
import type { PluginInstance, StoreRole } from '../../core/index.ts'
import { silentLogger } from '../../core/logger.ts'
import { apiResource } from '../../core/models/resources.ts'
import { StoreUnavailableError } from '../../core/stores/errors.ts'
import libsql from '../../plugins/libsql/index.ts'
import { migrateLibsql } from '../../plugins/libsql/migrate.ts'
import type { LibsqlOptions } from '../../plugins/libsql/options.ts'
import { conformance } from '../conformance/bun.ts'
import { expectFirstMigrationData } from './fixtures/sql/expect-first-migration-data.ts'
import { firstMigrationData, firstMigrationFolder, migrationCount } from './fixtures/sql/first-migration.ts'
import { dropLibsqlFile, freshLibsql } from './fixtures/sql/namespace.ts'

conformance<LibsqlOptions>({
  plugin: libsql,
  options: () => freshLibsql(),
  cleanup: dropLibsqlFile,
  // A path below a regular file can never be opened.
  unreachableOptions: () => ({ url: `file:${fileURLToPath(import.meta.url)}/portico.db` }),
  module: fileURLToPath(new URL('../../plugins/libsql/index.ts', import.meta.url)),
})

const roles: StoreRole[] = ['configuration', 'operational', 'keys']
const context = { roles, clock: systemClock, logger: silentLogger }

async function withInstance(options: LibsqlOptions, fn: (instance: PluginInstance) => Promise<void>) {
  const instance = await libsql.create(options, context)
  try {
    await instance.migrate!()
    await fn(instance)
  } finally {
    await instance.close()
  }
}

describe('libsql plugin', () => {
  test('a database made by the first migration migrates forward without losing data', async () => {
    const options = freshLibsql()
    const v0 = firstMigrationFolder('libsql')
    try {
      const client = createClient({ url: options.url })
      await migrateLibsql(client, options.url, v0.folder)
      await client.executeMultiple(firstMigrationData)
      client.close()

      await withInstance(options, expectFirstMigrationData)

      const after = createClient({ url: options.url })
      const history = await after.execute('select count(*) as n from "__drizzle_migrations"')
      const index = await after.execute(
        "select name from sqlite_master where type = 'index' and name = 'persisted_grants_client_type'",
      )
      after.close()
      expect(Number(history.rows[0]!.n)).toBe(migrationCount('libsql'))
      expect(index.rows).toHaveLength(1)
    } finally {
      v0.dispose()
      await dropLibsqlFile(options)
    }
  })

  test('data survives closing and reopening the file', async () => {
    const options = freshLibsql()
    try {
      await withInstance(options, (instance) =>
        instance
          .keys!.add({ id: 'k1', use: 'signing', algorithm: 'ES256', createdAt: 1, data: 'x', version: 1 })
          .then(() => {}),
      )
      await withInstance(options, async (instance) => {
        expect(await instance.keys!.list()).toMatchObject([{ id: 'k1', version: 1 }])
      })
    } finally {
      await dropLibsqlFile(options)
    }
  })

  test('writes racing an API resource upsert neither block nor fail', async () => {
    // An interactive transaction held across an await would make every other connection of
    // this process wait on the JS thread until the busy timeout; writes are batches instead.
    const options = { ...freshLibsql(), busyTimeout: 2000 }
    try {
      await withInstance(options, async (instance) => {
        const { resources } = instance.configuration!
        const { grants } = instance.operational!
        const started = performance.now()
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            Promise.all([
              resources.upsertApiResource(apiResource({ name: `api-${i % 3}`, scopes: [`s${i}`, 'shared'] })),
              grants.store({
                key: `g${i}`,
                type: 'refresh_token',
                clientId: 'c',
                createdAt: 0,
                expiresAt: Date.now() + 60_000,
                data: '{}',
              }),
            ]),
          ),
        )
        expect(performance.now() - started).toBeLessThan(1500)
        expect(await grants.getAll({ clientId: 'c' })).toHaveLength(20)
        expect((await resources.findApiResourcesByScopeName(['shared'])).map((r) => r.name).sort()).toEqual([
          'api-0',
          'api-1',
          'api-2',
        ])
      })
    } finally {
      await dropLibsqlFile(options)
    }
  })

  test('start-up errors are clear: an unopenable file is StoreUnavailableError, a bad URL a TypeError', async () => {
    const unopenable = `file:${fileURLToPath(import.meta.url)}/portico.db`
    const error = await libsql.create({ url: unopenable }, context).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreUnavailableError)
    expect((error as Error).message).toBe('store "libsql" is unavailable')
    expect(String((error as Error).cause)).not.toContain('\n')

    await expect(libsql.create({ url: 'mysql://localhost/portico' }, context)).rejects.toThrow(
      /options\.url must be a file:/,
    )
  })
})
