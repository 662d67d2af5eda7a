/**
 * `bun run portico check` opens every store as the server would, so a plugin that cannot be
 * imported or a backend that cannot be reached fails it with the server's own line and status.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from '../plugins/fixtures/sql/namespace.ts'
import { repoRoot, runCli, runServerToExit, tempDir, writeConfig } from './fixtures/process.ts'

const dir = tempDir()
afterAll(() => dir.remove())

/** `check` and the server, on the same config: both must fail with this one line and exit 1. */
async function bothFail(config: unknown, line: string | RegExp) {
  const file = writeConfig(dir.path, config, `${crypto.randomUUID()}.json`)
  const [checked, served] = await Promise.all([
    runCli(['check', '--config', file]),
    runServerToExit(['--config', file], { PORT: '0' }),
  ])
  for (const result of [checked, served]) {
    expect(result.exitCode).toBe(1)
    const lines = result.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    if (typeof line === 'string') expect(lines[0]).toBe(line)
    else expect(lines[0]).toMatch(line)
  }
  expect(checked.stderr).toBe(served.stderr)
}

describe('portico check', () => {
  test('a plugin package installed nowhere', async () => {
    await bothFail(
      { store: 'memory:', stores: { operational: { plugin: 'portico-store-nowhere', options: {} } } },
      /^portico: operational store "portico-store-nowhere": cannot find package "portico-store-nowhere" \(looked in node_modules from /,
    )
  }, 30_000)

  test('a Postgres on a closed port: connection refused', async () => {
    const port = await freePort()
    await bothFail(
      { store: 'memory:', stores: { keys: `postgres://root:hunter2@127.0.0.1:${port}/test` } },
      `portico: keys store "postgres" (127.0.0.1:${port}): connection refused`,
    )
  }, 30_000)

  test('a Redis on a closed port fails the same way (one rule for every plugin)', async () => {
    const port = await freePort()
    await bothFail(
      { store: 'memory:', stores: { operational: `redis://127.0.0.1:${port}` } },
      `portico: operational store "redis" (127.0.0.1:${port}): connection refused`,
    )
  }, 30_000)

  test('ok for a plugin installed beside the config whose backend answers', async () => {
    const project = join(dir.path, 'operator')
    const plugin = join(project, 'node_modules/portico-store-beside')
    mkdirSync(join(plugin, 'src'), { recursive: true })
    symlinkSync(repoRoot, join(project, 'node_modules/portico'), 'dir')
    writeFileSync(
      join(plugin, 'package.json'),
      JSON.stringify({ name: 'portico-store-beside', type: 'module', exports: { '.': './src/index.ts' } }),
    )
    writeFileSync(
      join(plugin, 'src/index.ts'),
      `import { definePlugin } from 'portico'
export default definePlugin({
  name: 'beside',
  contract: 1,
  capabilities: { roles: ['keys'] },
  async create() {
    const no = async () => false
    return { keys: { list: async () => [], add: no, update: no, remove: no }, health: async () => {}, close: async () => {} }
  },
})
`,
    )
    const file = writeConfig(project, {
      store: 'memory:',
      stores: { keys: { plugin: 'portico-store-beside', options: {} } },
    })
    const result = await runCli(['check', '--config', file])
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toStartWith('ok: configuration is valid and every store answers')
  }, 30_000)
})
