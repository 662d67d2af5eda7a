/**
 * A plugin's options are checked against the schema it declares before create() runs, and
 * reported like every other configuration mistake: one line per problem, exit status 2.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import { storeRoles } from '../../core/stores/contract.ts'
import { ConfigError } from '../../server/config/problems.ts'
import { type OpenedStores, openStores } from '../../server/stores/load.ts'
import type { StoreSpec } from '../../server/stores/url.ts'
import { runCli, runServerToExit, tempDir, writeConfig } from './fixtures/process.ts'

const opened: OpenedStores[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((stores) => stores.close()))
})

const memory: StoreSpec = { plugin: 'memory', options: {} }

/** The problems openStores reports for these stores, as `path: message` lines. */
async function problems(stores: Partial<Record<(typeof storeRoles)[number], StoreSpec>>, all?: StoreSpec) {
  const specs = Object.fromEntries(storeRoles.map((role) => [role, stores[role] ?? all ?? memory]))
  try {
    opened.push(
      await openStores({
        stores: specs as Record<(typeof storeRoles)[number], StoreSpec>,
        baseDir: import.meta.dir,
        clock: systemClock,
        logger: silentLogger,
        migrate: false,
        checkHealth: false,
      }),
    )
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`)
  }
  return []
}

describe('plugin options', () => {
  test('postgres: a misspelt key names the allowed ones', async () => {
    const url = 'postgres://root:hunter2@127.0.0.1:5432/test'
    expect(await problems({ operational: { plugin: 'postgres', options: { url, shema: 'x' } } })).toEqual([
      'stores.operational.options.shema: unknown key (allowed url, schema, poolSize, ssl, connectTimeout, queryTimeout, applicationName, migrate)',
    ])
    expect(
      await problems({ keys: { plugin: 'postgres', options: { url, schemaName: 'x', poolSize: 0 } } }),
    ).toEqual([
      'stores.keys.options.poolSize: is out of range (given 0, allowed 1 to 1000)',
      'stores.keys.options.schemaName: unknown key (allowed url, schema, poolSize, ssl, connectTimeout, queryTimeout, applicationName, migrate)',
    ])
  })

  test('postgres: a bad URL or schema name, never echoing the URL', async () => {
    const lines = await problems({
      configuration: {
        plugin: 'postgres',
        options: { url: 'mysql://root:hunter2@db/x', schema: 'Bad-Name' },
      },
    })
    expect(lines).toEqual([
      'stores.configuration.options.url: must be a postgres:// or postgresql:// URL',
      'stores.configuration.options.schema: must be lower-case letters, digits and _, at most 63 (given "Bad-Name")',
    ])
  })

  test('redis: `prefx` is an error, not a silent default prefix', async () => {
    expect(
      await problems({
        operational: { plugin: 'redis', options: { url: 'redis://127.0.0.1:6379', prefx: 'a:' } },
      }),
    ).toEqual([
      'stores.operational.options.prefx: unknown key (allowed url, prefix, buckets, cluster, clusterOptions, or an ioredis option such as password, tls, db, sentinels and name)',
    ])
    // ioredis options pass through.
    expect(
      await problems({
        operational: {
          plugin: 'redis',
          options: { url: 'redis://127.0.0.1:6379', db: 2, commandTimeout: 500 },
        },
      }),
    ).toEqual([])
  })

  test('libsql and memory: unknown keys too; one store for every role is reported under `store`', async () => {
    expect(
      await problems({}, { plugin: 'libsql', options: { url: 'file:/tmp/x.db', busytimeout: 5 } }),
    ).toEqual(['store.options.busytimeout: unknown key (allowed url, authToken, busyTimeout, migrate)'])
    expect(await problems({ keys: { plugin: 'memory', options: { size: 1 } } })).toEqual([
      'stores.keys.options.size: unknown key (allowed url)',
    ])
  })

  test('the server and portico check exit 2 with the same lines', async () => {
    const dir = tempDir()
    try {
      const file = writeConfig(dir.path, {
        store: 'memory:',
        stores: { operational: { plugin: 'redis', options: { url: 'redis://127.0.0.1:6379', prefx: 'a:' } } },
      })
      const [served, checked] = await Promise.all([
        runServerToExit(['--config', file], { PORT: '0' }),
        runCli(['check', '--config', file]),
      ])
      for (const result of [served, checked]) {
        expect(result.exitCode).toBe(2)
        expect(result.stderr).toContain(
          '\n  stores.operational.options.prefx: unknown key (allowed url, prefix, ',
        )
        expect(result.stderr).not.toMatch(/\n\s+at /)
      }
    } finally {
      dir.remove()
    }
  }, 30_000)
})
