import { describe, expect, test } from 'bun:test'
import { runCli } from './fixtures/process.ts'

const groups: Record<string, string[]> = {
  check: [],
  migrate: [],
  clients: ['add', 'list', 'show', 'update', 'remove'],
  scopes: ['add', 'list', 'remove'],
  resources: ['add', 'list', 'show', 'remove'],
  'identity-resources': ['list', 'add'],
  users: ['add', 'list', 'show', 'set-password', 'disable', 'enable', 'remove'],
  keys: ['list', 'rotate', 'revoke', 'new-secret', 'rewrap'],
  grants: ['purge-expired', 'list', 'revoke'],
  sessions: ['list', 'revoke'],
}

describe('--help', () => {
  test('every command lists in help', async () => {
    const help = await runCli(['--help'])
    expect(help.exitCode).toBe(0)
    for (const name of Object.keys(groups)) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'))
  })

  test('on every command and subcommand: exit 0, its usage on stdout, nothing done', async () => {
    const runs = Object.entries(groups).flatMap(([name, subs]) => [
      [name, '--help'],
      ...subs.flatMap((sub) => [
        [name, sub, '--help'],
        [name, sub, '-h'],
      ]),
    ])
    const results = await Promise.all(runs.map((args) => runCli(args)))
    results.forEach((result, i) => {
      const [name = '', sub] = runs[i]!
      expect({ args: runs[i], exitCode: result.exitCode, stderr: result.stderr }).toEqual({
        args: runs[i],
        exitCode: 0,
        stderr: '',
      })
      expect(result.stdout).toContain(`portico ${name}`)
      if (sub !== '--help') {
        // A subcommand's help is its own usage lines, not the group's.
        expect(result.stdout).toContain(`portico ${name} ${sub}`)
        for (const other of groups[name]!.filter((s) => s !== sub)) {
          expect(result.stdout).not.toContain(`portico ${name} ${other} `)
        }
      }
    })
  }, 60_000)

  test('a missing or unknown subcommand is one line on stderr and exit 2', async () => {
    for (const args of [['scopes'], ['users', 'frob']]) {
      const result = await runCli(args)
      expect(result.exitCode).toBe(2)
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1)
    }
  })
})
