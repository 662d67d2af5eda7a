/**
 * The operator's view: `bun run portico keys …` and `bun run server` as processes, on a
 * libSQL file shared with an in-test key ring (another "instance").
 */
import { afterEach, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '../../../core/clock.ts'
import { type KeyInfo, KeyRing } from '../../../core/keys/index.ts'
import { silentLogger } from '../../../core/logger.ts'
import type { PluginInstance } from '../../../core/stores/contract.ts'
import libsql from '../../../plugins/libsql/index.ts'
import { SECRET } from './harness.ts'

const root = join(import.meta.dir, '../../..')
const bun = process.execPath
const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

async function fileStore(): Promise<{ url: string; dir: string; instance: PluginInstance }> {
  const dir = await mkdtemp(join(tmpdir(), 'portico-keys-cli-'))
  const url = `file:${join(dir, 'portico.db')}`
  const instance = await libsql.create({ url }, { roles: ['keys'], clock: systemClock, logger: silentLogger })
  await instance.migrate?.()
  cleanup.push(
    () => rm(dir, { recursive: true, force: true }),
    () => instance.close(),
  )
  return { url, dir, instance }
}

function run(cmd: string[], env: Record<string, string>, cwd: string) {
  const { PATH, HOME } = process.env
  const result = Bun.spawnSync(cmd, {
    cwd,
    env: { PATH: PATH ?? '', HOME: HOME ?? cwd, ...env },
    timeout: 30_000,
  })
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() }
}

const portico = (args: string[], env: Record<string, string>, cwd: string) =>
  run([bun, join(root, 'server/cli/main.ts'), ...args], env, cwd)

test('keys list, rotate --activate-now and revoke reach a running key ring on the same store', async () => {
  const { url, dir, instance } = await fileStore()
  const ring = await KeyRing.create({
    store: instance.keys!,
    secret: SECRET,
    algorithms: ['RS256', 'ES256'],
    refreshInterval: 0,
  })
  cleanup.push(async () => ring.close())
  const env = { PORTICO_STORE: url, PORTICO_KEY_SECRET: SECRET }
  const old = await ring.signingKey('ES256')

  const listed = portico(['keys', 'list', '--json'], env, dir)
  expect(listed.code).toBe(0)
  const keys = JSON.parse(listed.stdout) as KeyInfo[]
  expect(keys.find((k) => k.kid === old.kid)).toMatchObject({
    use: 'signing',
    alg: 'ES256',
    status: 'active',
  })
  expect(portico(['keys', 'list'], env, dir).stdout).toContain(old.kid)

  const rotated = portico(['keys', 'rotate', '--activate-now', '--alg', 'ES256'], env, dir)
  expect(rotated.code).toBe(0)
  await ring.refresh()
  const fresh = await ring.signingKey('ES256')
  expect(fresh.kid).not.toBe(old.kid)
  expect(rotated.stdout).toContain(fresh.kid)

  expect(portico(['keys', 'revoke', old.kid], env, dir).code).toBe(0)
  await ring.refresh()
  expect((await ring.jwks()).keys.map((k) => k.kid)).not.toContain(old.kid)
  expect(portico(['keys', 'revoke', old.kid], env, dir).code).toBe(1)
  // A kid with a leading dash (older stores have some) is a kid, not an option.
  const dashed = portico(['keys', 'revoke', '-Qx7'], env, dir)
  expect(dashed.stderr).toContain('no key "-Qx7"')
  expect(dashed.code).toBe(1)
  expect(fresh.kid).not.toStartWith('-')
}, 60_000)

test('the CLI names the kid it cannot decrypt under a wrong secret', async () => {
  const { url, dir, instance } = await fileStore()
  const ring = await KeyRing.create({
    store: instance.keys!,
    secret: SECRET,
    algorithms: ['ES256'],
    refreshInterval: 0,
  })
  cleanup.push(async () => ring.close())
  const result = portico(
    ['keys', 'list'],
    { PORTICO_STORE: url, PORTICO_KEY_SECRET: 'not-the-secret-0123456789abcdef' },
    dir,
  )
  expect(result.code).toBe(1)
  const kids = (await instance.keys!.list()).map((r) => r.id)
  expect(kids.some((kid) => result.stderr.includes(`"${kid}"`))).toBe(true)
  expect(result.stderr).toContain('PORTICO_KEY_SECRET')
}, 60_000)

test('the server in production refuses a persistent store without PORTICO_KEY_SECRET: one line, exit 1', async () => {
  const { url } = await fileStore()
  const result = run(
    [bun, join(root, 'server/main.ts')],
    {
      NODE_ENV: 'production',
      PORTICO_ISSUER: 'https://id.example.com',
      PORTICO_STORE: url,
      PORT: '0',
      PORTICO_LOG_LEVEL: 'error',
    },
    // The repository root, where tsconfig.json sets the JSX runtime of the server's pages.
    root,
  )
  expect(result.code).toBe(1)
  const lines = result.stderr.trim().split('\n')
  expect(lines.filter((line) => line.includes('PORTICO_KEY_SECRET is required in production'))).toHaveLength(
    1,
  )
}, 60_000)
