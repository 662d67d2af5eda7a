/**
 * The operator's commands on a libSQL file: `bun run portico migrate` brings a new file's
 * schema up to date, and `bun run portico grants purge-expired` removes what has expired and
 * prints how many.
 */
import { afterAll, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import libsql from '../../plugins/libsql/index.ts'
import { dropLibsqlFile, freshLibsql } from './fixtures/sql/namespace.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const options = freshLibsql()
const file = options.url.slice('file:'.length)
const config = join(file, '../portico.json')
writeFileSync(config, JSON.stringify({ store: { plugin: 'libsql', options: { url: options.url } } }))
afterAll(() => dropLibsqlFile(options))

function portico(...args: string[]) {
  const result = Bun.spawnSync(
    [process.execPath, join(root, 'server/cli/main.ts'), ...args, '--config', config],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: root },
    },
  )
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() }
}

test('migrate creates the schema; purge-expired removes expired records and prints the count', async () => {
  const migrated = portico('migrate')
  expect(migrated.stderr).toBe('')
  expect(migrated.code).toBe(0)
  expect(migrated.stdout).toContain('migrated configuration, operational, keys store "libsql"')

  const instance = await libsql.create(options, {
    roles: ['operational'],
    clock: systemClock,
    logger: silentLogger,
  })
  const now = Date.now()
  try {
    for (const [key, expiresAt] of [
      ['old-1', now - 1000],
      ['old-2', now - 1000],
      ['live', now + 600_000],
    ] as const) {
      await instance.operational!.grants.store({
        key,
        type: 'refresh_token',
        clientId: 'c',
        createdAt: now - 5000,
        expiresAt,
        data: '{}',
      })
    }
    await instance.operational!.replay.addIfAbsent('jti', now - 1000)

    const purged = portico('grants', 'purge-expired', '--batch-size', '1')
    expect(purged.code).toBe(0)
    expect(purged.stdout.trim()).toBe(
      'purged 3 expired records (grants 2, device codes 0, sessions 0, replay cache 1)',
    )
    expect((await instance.operational!.grants.getAll({ clientId: 'c' })).map((g) => g.key)).toEqual(['live'])
  } finally {
    await instance.close()
  }
}, 30_000)
