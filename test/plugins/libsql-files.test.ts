/** The embedded database file and its folder are private to the server's user. */
import { afterEach, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '../../core/logger.ts'
import libsql from '../../plugins/libsql/index.ts'
import { TestClock } from '../conformance/test-clock.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

test('a new database file is created 0600 in a folder created 0700', async () => {
  const root = mkdtempSync(join(tmpdir(), 'portico-libsql-files-'))
  dirs.push(root)
  const folder = join(root, 'data')
  const file = join(folder, 'portico.db')
  const instance = await libsql.create(
    { url: `file:${file}` },
    { roles: ['configuration', 'operational', 'keys'], clock: new TestClock(), logger: silentLogger },
  )
  try {
    await instance.migrate?.()
    expect(statSync(folder).mode & 0o777).toBe(0o700)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600)
  } finally {
    await instance.close()
  }
})
