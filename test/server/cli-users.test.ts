import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { runCli, tempDir, writeConfig } from './fixtures/process.ts'

const dir = tempDir()
let config: string
beforeAll(() => {
  config = writeConfig(dir.path, { store: `file:${join(dir.path, 'portico.db')}` })
})
afterAll(() => dir.remove())

const cli = (args: string[], stdin?: string) =>
  runCli([...args, '--config', config], stdin === undefined ? {} : { stdin })

describe('bun run portico users', () => {
  test('list and show: every account, never a password or its hash', async () => {
    await cli(
      ['users', 'add', 'carol', '--subject', 'c-1', '--password-stdin', '--claim', 'name=Carol'],
      'carol-pass\n',
    )
    await cli(['users', 'add', 'dave', '--subject', 'd-1'])

    const table = await cli(['users', 'list'])
    expect(table.exitCode).toBe(0)
    expect(table.stdout).toBe(
      [
        'USERNAME  SUBJECT  ENABLED  PASSWORD  LOCKED UNTIL',
        'carol     c-1      yes      yes       -',
        'dave      d-1      yes      no        -',
        '',
      ].join('\n'),
    )
    const listed = await cli(['users', 'list', '--json'])
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        subjectId: 'c-1',
        username: 'carol',
        claims: { name: 'Carol' },
        enabled: true,
        hasPassword: true,
        failedLogins: 0,
        lockedUntil: null,
      },
      {
        subjectId: 'd-1',
        username: 'dave',
        claims: {},
        enabled: true,
        hasPassword: false,
        failedLogins: 0,
        lockedUntil: null,
      },
    ])
    const shown = await cli(['users', 'show', 'Carol', '--json'])
    expect(JSON.parse(shown.stdout)).toMatchObject({ subjectId: 'c-1', hasPassword: true })
    for (const output of [
      table.stdout,
      listed.stdout,
      shown.stdout,
      (await cli(['users', 'show', 'carol'])).stdout,
    ]) {
      expect(output).not.toContain('argon2')
      expect(output).not.toContain('carol-pass')
    }
  }, 30_000)

  test('set-password, disable, enable, remove', async () => {
    const set = await cli(['users', 'set-password', 'dave', '--password-stdin'], 'dave-pass\n')
    expect([set.exitCode, set.stdout]).toEqual([0, 'password of "dave" set\n'])
    expect(JSON.parse((await cli(['users', 'show', 'dave', '--json'])).stdout).hasPassword).toBe(true)

    const disabled = await cli(['users', 'disable', 'dave'])
    expect(disabled.exitCode).toBe(0)
    // Disabling refuses the next sign-in; what was issued before needs its own revoke, and says so.
    expect(disabled.stdout).toContain('portico sessions revoke --subject d-1')
    expect(JSON.parse((await cli(['users', 'show', 'dave', '--json'])).stdout).enabled).toBe(false)
    await cli(['users', 'enable', 'dave'])
    expect(JSON.parse((await cli(['users', 'show', 'dave', '--json'])).stdout).enabled).toBe(true)

    expect((await cli(['users', 'remove', 'dave'])).exitCode).toBe(0)
    const gone = await cli(['users', 'show', 'dave'])
    expect([gone.exitCode, gone.stderr]).toEqual([1, 'portico: no user "dave"\n'])
  }, 30_000)

  test('mistakes are one line and a non-zero exit', async () => {
    const noPassword = await cli(['users', 'set-password', 'carol'])
    expect(noPassword.exitCode).toBe(2)
    expect(noPassword.stderr).toBe(
      'portico: give the new password with --password-stdin (or --password) (see: portico users --help)\n',
    )
    const unknown = await cli(['users', 'disable', 'nobody'])
    expect([unknown.exitCode, unknown.stderr]).toEqual([1, 'portico: no user "nobody"\n'])
    const bad = await cli(['users', 'add', 'x'.repeat(201)])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1)
  }, 30_000)
})
