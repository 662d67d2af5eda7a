/** Where local state lives: one rule for dataDir, the default database and relative store files. */
import { expect, test } from 'bun:test'
import { join } from 'node:path'
import { loadConfig } from '../../server/config/load.ts'
import { tempDir, writeConfig } from './fixtures/process.ts'

test('dataDir, the default database and relative file: stores resolve against the config file, else the working directory', async () => {
  const tmp = tempDir()
  try {
    const file = writeConfig(tmp.path, {})
    const url = async (options: Parameters<typeof loadConfig>[0]) =>
      (await loadConfig({ env: {}, ...options })).stores.configuration.options.url
    expect(await url({ path: file, cwd: '/' })).toBe(`file:${join(tmp.path, 'data/portico.db')}`)
    writeConfig(tmp.path, { dataDir: 'state' })
    expect(await url({ path: file, cwd: '/' })).toBe(`file:${join(tmp.path, 'state/portico.db')}`)
    writeConfig(tmp.path, { store: 'file:./db/x.db?mode=rwc' })
    expect(await url({ path: file, cwd: '/' })).toBe(`file:${join(tmp.path, 'db/x.db')}?mode=rwc`)
    expect(await url({ cwd: tmp.path })).toBe(`file:${join(tmp.path, 'data/portico.db')}`)
    expect(await url({ cwd: tmp.path, env: { PORTICO_STORE: 'file:/abs/p.db' } })).toBe('file:/abs/p.db')
  } finally {
    tmp.remove()
  }
})
