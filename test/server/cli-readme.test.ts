/**
 * The README's CLI block is the CLI's manual: each command it shows must exist (`--help` exits 0
 * with that subcommand's usage) and each concrete one must run against a fresh libSQL file.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot, runCli, tempDir, writeConfig } from './fixtures/process.ts'

/** `bun run portico <group> a [--json] | b X` gives `group a [--json]` and `group b X`. */
function documentedCommands(readme: string): string[] {
  const block = /The admin CLI reads[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.startsWith('bun run portico '))
    .flatMap((line) => {
      const [first, ...alternatives] = line.slice('bun run portico '.length).split(' | ')
      const group = first!.split(' ')[0]!
      return [first!, ...alternatives.map((alternative) => `${group} ${alternative}`)]
    })
}

/** Shell words, with "double quotes" kept together. */
function words_(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!)
}

/** Placeholders (`<clientId>`, `X`) name nothing that exists: those run with --help only. */
const placeholder = (words: string[]) => words.some((word) => /^<.*>$/.test(word) || word === 'X')
/** Needs the old key secret on stdin and stopped servers: covered by key-secret.test.ts. */
const helpOnly = new Set(['keys rewrap'])

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
const commands = documentedCommands(readme)
/** The words to run: optional parts (`[--client web]`) left out. */
const required = (command: string) => words_(command.replace(/\s*\[[^\]]*\]/g, ''))

const dir = tempDir()
let env: Record<string, string>
beforeAll(() => {
  env = { PORTICO_CONFIG: writeConfig(dir.path, { store: `file:${join(dir.path, 'portico.db')}` }) }
})
afterAll(() => dir.remove())

describe("the README's CLI section", () => {
  test('lists the commands of issue 16 (the parse found them)', () => {
    const shown = new Set(commands.map((command) => required(command).slice(0, 2).join(' ')))
    for (const command of [
      'clients add',
      'clients list',
      'clients show',
      'clients update',
      'clients remove',
      'scopes add',
      'scopes list',
      'scopes remove',
      'resources add',
      'resources list',
      'resources show',
      'resources remove',
      'identity-resources list',
      'identity-resources add',
      'users add',
      'users list',
      'users show',
      'users set-password',
      'users disable',
      'users enable',
      'users remove',
      'check',
      'migrate',
    ]) {
      expect({ command, shown: shown.has(command) }).toEqual({ command, shown: true })
    }
  })

  test('each documented command answers --help with its own usage (exit 0)', async () => {
    const results = await Promise.all(
      commands.map((command) => runCli([...required(command).slice(0, 2), '--help'])),
    )
    results.forEach((result, i) => {
      const [group, sub] = required(commands[i]!)
      const named = sub && !sub.startsWith('-') ? `${group} ${sub}` : group
      expect({ command: named, exitCode: result.exitCode }).toEqual({ command: named, exitCode: 0 })
      expect(result.stdout).toContain(`portico ${named}`)
    })
  }, 60_000)

  test('each concrete documented command runs against a fresh libSQL file, in README order', async () => {
    for (const command of commands) {
      const args = required(command)
      if (placeholder(args) || helpOnly.has(args.slice(0, 2).join(' '))) continue
      const stdin = args.some((word) => word.endsWith('-stdin')) ? 'readme-password-0123\n' : undefined
      const result = await runCli(args, { env, ...(stdin === undefined ? {} : { stdin }) })
      expect({ args, exitCode: result.exitCode, stderr: result.stderr }).toMatchObject({ args, exitCode: 0 })
      // With --json in brackets, the listing runs once more as JSON.
      if (command.includes('[--json]')) {
        const json = await runCli([...args, '--json'], { env })
        expect(json.exitCode).toBe(0)
        expect(() => JSON.parse(json.stdout)).not.toThrow()
      }
    }
  }, 120_000)
})
