/**
 * Where a plugin named in the config is loaded from: a package installed beside the config
 * file, in the working directory or with Portico; a package directory through its `exports`;
 * a file path.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import { PluginLoadError } from '../../server/stores/errors.ts'
import { openStores } from '../../server/stores/load.ts'
import { pluginSource } from '../../server/stores/resolve.ts'
import { repoRoot } from './fixtures/process.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portico-project-'))
  dirs.push(dir)
  return dir
}

/**
 * A published plugin's layout, as docs/plugins.md recommends: `exports` only (no `main`),
 * TypeScript source, `portico` as a peer dependency (linked to this checkout). Its keys store
 * lists one record naming `tag`, so a test can tell which copy was loaded.
 */
function writePackage(dir: string, name: string, tag: string): string {
  const root = join(dir, name)
  mkdirSync(join(root, 'src'), { recursive: true })
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({
      name,
      type: 'module',
      exports: { '.': './src/index.ts' },
      peerDependencies: { portico: '*' },
    }),
  )
  writeFileSync(
    join(root, 'src/index.ts'),
    `import { definePlugin } from 'portico'
const record = { id: ${JSON.stringify(tag)}, use: 'signing', algorithm: 'ES256', createdAt: 1, data: 'x', version: 1 }
export default definePlugin({
  name: 'acme',
  contract: 1,
  capabilities: { roles: ['keys'] },
  async create() {
    return {
      keys: { list: async () => [record], add: async () => false, update: async () => false, remove: async () => false },
      health: async () => {},
      close: async () => {},
    }
  },
})
`,
  )
  return root
}

/** `<dir>/node_modules/<name>`, with `portico` installed beside it. */
function install(dir: string, name: string, tag: string): void {
  const modules = join(dir, 'node_modules')
  writePackage(modules, name, tag)
  try {
    symlinkSync(repoRoot, join(modules, 'portico'), 'dir')
  } catch {
    // Already linked by an earlier install into this project.
  }
}

async function loadedTag(plugin: string, baseDir: string): Promise<string | undefined> {
  const spec = { plugin, options: {} }
  const opened = await openStores({
    stores: { configuration: spec, operational: spec, keys: spec },
    roles: ['keys'],
    baseDir,
    clock: systemClock,
    logger: silentLogger,
    migrate: false,
  })
  try {
    return (await opened.stores.keys!.list())[0]?.id
  } finally {
    await opened.close()
  }
}

describe('plugin resolution', () => {
  test('a package installed in the operator’s project, beside the config file, loads by name', async () => {
    const operator = project()
    install(operator, '@acme/portico-store-acme', 'beside the config')
    expect(await loadedTag('@acme/portico-store-acme', operator)).toBe('beside the config')
  })

  test('a package name resolves from the config’s directory, then the working directory, then Portico’s own', () => {
    const configDir = project()
    const cwd = project()
    install(cwd, 'portico-store-acme', 'cwd')
    const source = (dir: string) => pluginSource('portico-store-acme', dir, cwd)
    expect(source(configDir)).toMatchObject({ kind: 'module', specifier: expect.stringContaining(cwd) })
    install(configDir, 'portico-store-acme', 'config')
    expect(source(configDir)).toMatchObject({ kind: 'module', specifier: expect.stringContaining(configDir) })
    // Portico's own dependencies come last: `postgres` (the driver) is found there.
    expect(pluginSource('postgres-not-builtin', configDir, cwd).kind).toBe('missing')
    expect(pluginSource('ioredis', configDir, cwd)).toMatchObject({
      kind: 'module',
      specifier: expect.stringContaining(`${repoRoot}/node_modules/ioredis/`),
    })
  })

  test('a package directory path loads through its exports (no main)', async () => {
    const dir = project()
    install(dir, 'unused', 'unused') // links `portico` for the package's own import
    writePackage(join(dir, 'node_modules'), 'local-acme', 'directory')
    expect(await loadedTag('./node_modules/local-acme', dir)).toBe('directory')
    expect(await loadedTag(join(dir, 'node_modules/local-acme'), '/')).toBe('directory')
  })

  test('a file path loads that file', async () => {
    const dir = project()
    install(dir, 'acme-file', 'file')
    expect(await loadedTag('./node_modules/acme-file/src/index.ts', dir)).toBe('file')
  })

  test('a package installed nowhere is one line naming where it was looked for', async () => {
    const dir = project()
    const error = await loadedTag('portico-store-nowhere', dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PluginLoadError)
    const searched =
      process.cwd() === repoRoot ? `${dir} and ${repoRoot}` : `${dir}, ${process.cwd()} and ${repoRoot}`
    expect((error as Error).message).toBe(
      `keys store "portico-store-nowhere": cannot find package "portico-store-nowhere" (looked in node_modules from ${searched}; install it beside the config file)`,
    )
  })
})
