import { afterEach, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import { storeRoles } from '../../core/stores/contract.ts'
import { PluginLoadError } from '../../server/stores/errors.ts'
import { type OpenedStores, openStores } from '../../server/stores/load.ts'
import type { StoreSpec } from '../../server/stores/url.ts'
import { created } from './fixtures/plugins/counting.ts'
import { runServerToExit, serverConfig, tempDir, writeConfig } from './fixtures/process.ts'

const pluginDir = join(import.meta.dir, 'fixtures/plugins')
const fixture = (name: string) => join(pluginDir, `${name}.ts`)

const opened: OpenedStores[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((stores) => stores.close()))
})

function open(stores: Partial<Record<(typeof storeRoles)[number], StoreSpec>>, fallback?: StoreSpec) {
  const all = Object.fromEntries(
    storeRoles.map((role) => [role, stores[role] ?? fallback ?? { plugin: 'memory', options: {} }]),
  ) as Record<(typeof storeRoles)[number], StoreSpec>
  return openStores({
    stores: all,
    baseDir: pluginDir,
    clock: systemClock,
    logger: silentLogger,
    migrate: true,
  }).then((result) => {
    opened.push(result)
    return result
  })
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(PluginLoadError)
    return (error as Error).message
  }
  throw new Error('expected a PluginLoadError')
}

describe('plugin loading', () => {
  test('roles sharing one plugin and the same options get one instance serving all of them', async () => {
    created.length = 0
    const counting = fixture('counting')
    const result = await open({
      configuration: { plugin: counting, options: { name: 'a' } },
      keys: { plugin: counting, options: { name: 'a' } },
      operational: { plugin: counting, options: { name: 'b' } },
    })
    expect(created.map((call) => call.roles)).toEqual([['configuration', 'keys'], ['operational']])
    expect(result.instances.map((loaded) => loaded.roles)).toEqual([
      ['configuration', 'keys'],
      ['operational'],
    ])
    expect(result.stores.configuration?.clients).toBeDefined()
    expect(result.stores.operational?.grants).toBeDefined()
    expect(result.stores.keys?.list).toBeFunction()
  })

  test('a relative plugin path resolves against the config directory', async () => {
    const result = await open({}, { plugin: './operational-only.ts', options: {} })
      .then(() => 'opened')
      .catch((error: Error) => error.message)
    expect(result).toBe(
      'configuration, operational and keys store "./operational-only.ts": plugin "operational-only" cannot serve the configuration and keys roles (it serves operational)',
    )
  })

  test('a missing module', async () => {
    expect(await failure(open({ operational: { plugin: '@acme/portico-dynamo', options: {} } }))).toStartWith(
      'operational store "@acme/portico-dynamo": cannot find package "@acme/portico-dynamo" (looked in node_modules from ',
    )
    expect(await failure(open({ keys: { plugin: './no-such-plugin.ts', options: {} } }))).toBe(
      'keys store "./no-such-plugin.ts": cannot find module "./no-such-plugin.ts" (check the path)',
    )
  })

  test('a module without a default plugin export', async () => {
    expect(await failure(open({ operational: { plugin: fixture('no-default'), options: {} } }))).toBe(
      `operational store "${fixture('no-default')}": module "${fixture('no-default')}" has no default export made with definePlugin()`,
    )
  })

  test('a plugin declaring another contract version', async () => {
    expect(await failure(open({ operational: { plugin: './wrong-contract.ts', options: {} } }))).toBe(
      'operational store "./wrong-contract.ts": plugin "future" declares an unsupported store contract (given 2, allowed 1)',
    )
  })

  test('a module that throws while loading', async () => {
    expect(await failure(open({ operational: { plugin: './throws-on-import.ts', options: {} } }))).toBe(
      'operational store "./throws-on-import.ts": plugin "./throws-on-import.ts" failed to load: this plugin needs a native driver that is not installed',
    )
  })

  test('create() failing: connection refused, with the target but never the password', async () => {
    const url = 'postgres://portico:hunter2@127.0.0.1:5432/test'
    expect(
      await failure(open({ operational: { plugin: './refusing.ts', options: { url, failure: 'refused' } } })),
    ).toBe('operational store "./refusing.ts" (127.0.0.1:5432): connection refused')
    const chatty = await failure(
      open({ operational: { plugin: './refusing.ts', options: { url, failure: 'chatty' } } }),
    )
    expect(chatty).toStartWith(
      'operational store "./refusing.ts" (127.0.0.1:5432): authentication failed for postgres://portico:',
    )
    expect(chatty).not.toContain('hunter2')
  })

  test('instances opened before a failure are closed', async () => {
    const dir = tempDir()
    try {
      const marker = join(dir.path, 'closed')
      await failure(
        open({
          configuration: { plugin: fixture('controlled'), options: { marker } },
          operational: { plugin: './refusing.ts', options: { url: 'postgres://h:1/x', failure: 'refused' } },
          keys: { plugin: fixture('controlled'), options: { marker } },
        }),
      )
      expect(await Bun.file(marker).text()).toBe('migrated configuration,keys\nclosed configuration,keys\n')
    } finally {
      dir.remove()
    }
  })
})

describe('migrations at start', () => {
  for (const auto of [true, false]) {
    test(`migrate() ${auto ? 'runs once per instance' : 'is skipped'} when migrate.auto is ${auto}`, async () => {
      const dir = tempDir()
      try {
        const marker = join(dir.path, 'marker')
        const spec = { plugin: fixture('controlled'), options: { marker } }
        const result = await openStores({
          stores: { configuration: spec, operational: spec, keys: spec },
          baseDir: pluginDir,
          clock: systemClock,
          logger: silentLogger,
          migrate: auto,
        })
        await result.close()
        expect(await Bun.file(marker).text()).toBe(
          `${auto ? 'migrated configuration,operational,keys\n' : ''}closed configuration,operational,keys\n`,
        )
      } finally {
        dir.remove()
      }
    })
  }
})

describe('start-up failures of the server', () => {
  test('one line naming the store, exit 1, no stack trace, no password', async () => {
    const dir = tempDir()
    try {
      const file = writeConfig(
        dir.path,
        serverConfig({
          stores: {
            operational: {
              plugin: fixture('refusing'),
              options: { url: 'postgres://portico:hunter2@127.0.0.1:5432/test', failure: 'refused' },
            },
          },
        }),
      )
      const result = await runServerToExit(['--config', file])
      expect(result.exitCode).toBe(1)
      expect(result.stderr).toBe(
        `portico: operational store "${fixture('refusing')}" (127.0.0.1:5432): connection refused\n`,
      )
      expect(result.stdout).not.toContain('hunter2')
    } finally {
      dir.remove()
    }
  })

  test('a real Postgres URL on a closed port', async () => {
    const result = await runServerToExit([], {
      PORT: '0',
      PORTICO_STORE: 'memory:',
      PORTICO_OPERATIONAL_STORE: 'postgres://root:hunter2@127.0.0.1:1/test',
    })
    expect(result.exitCode).toBe(1)
    const lines = result.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toStartWith('portico: operational store "postgres" (127.0.0.1:1): ')
    expect(result.stderr + result.stdout).not.toContain('hunter2')
  })
})
