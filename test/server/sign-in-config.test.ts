/**
 * The config keys of signing users in (`authenticate`, `login.throttle`, `session`), the
 * throttle's store, and grant types accepted only when the server answers them (issue 10 item 11).
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { loadConfig, parseConfig } from '../../server/config/load.ts'
import { ConfigError } from '../../server/config/problems.ts'
import { repoRoot, runCli, tempDir, writeConfig } from './fixtures/process.ts'

const dir = tempDir()
afterAll(() => dir.remove())

function problems(raw: Record<string, unknown>): string[] {
  try {
    parseConfig(raw, { baseDir: dir.path })
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n')
    throw error
  }
  throw new Error('expected a ConfigError')
}

const client = (allowedGrantTypes: string[]) => ({
  seed: {
    clients: [
      {
        clientId: 'c',
        clientSecrets: [{ value: 'secret-0123456789abcdef' }],
        redirectUris: ['https://app.example.test/cb'],
        allowedGrantTypes,
      },
    ],
  },
})

describe('sign-in config', () => {
  test('defaults: store users, 5 per account and 50 per address per 15 minutes, 10-hour sliding sessions', () => {
    const config = parseConfig({}, { baseDir: dir.path })
    expect(config.authenticate).toBeUndefined()
    expect(config.login.throttle).toEqual({
      perAccount: { limit: 5, windowSeconds: 900 },
      perAddress: { limit: 50, windowSeconds: 900 },
    })
    expect(config.session).toEqual({ lifetimeSeconds: 36_000, sliding: true })
    expect(config.throttle.store).toBeUndefined()
  })

  test('a function given as authenticate is kept as it is; partial limits take the other defaults', () => {
    const authenticate = async (username: string) => (username === 'a' ? { subjectId: '1' } : undefined)
    const config = parseConfig(
      {
        authenticate,
        login: { throttle: { perAccount: { limit: 10 } } },
        session: { sliding: false },
        throttle: { store: 'memory' },
      },
      { baseDir: dir.path },
    )
    expect(config.authenticate).toBe(authenticate)
    expect(config.login.throttle.perAccount).toEqual({ limit: 10, windowSeconds: 900 })
    expect(config.session).toEqual({ lifetimeSeconds: 36_000, sliding: false })
    expect(config.throttle.store).toBe('memory')
  })

  test('a .ts config can give authenticate', async () => {
    const file = join(dir.path, 'portico.config.ts')
    const define = pathToFileURL(join(repoRoot, 'server/config/define.ts')).href
    writeFileSync(
      file,
      `import { defineConfig } from '${define}'
export default defineConfig({
  authenticate: async (username, password) => (password === 'pw' ? { subjectId: username, amr: ['pwd'] } : null),
})
`,
    )
    const config = await loadConfig({ path: file, env: {} })
    expect(await config.authenticate?.('alice', 'pw', { issuer: 'https://id.example.test' })).toEqual({
      subjectId: 'alice',
      amr: ['pwd'],
    })
  })

  test('wrong values get the one-line messages of every other key', () => {
    expect(
      problems({
        authenticate: './users.ts',
        login: {
          throttle: { perAccount: { limit: 0 }, perAddress: { windowSeconds: 'a day' }, perUser: {} },
        },
        session: { lifetimeSeconds: 10, sliding: 'yes' },
        throttle: { store: 'redis' },
      }),
    ).toEqual([
      'authenticate: must be a function (given "./users.ts"; a .ts config can give one, JSON cannot)',
      'login.throttle.perAccount.limit: is out of range (given 0, allowed 1 to 100000)',
      'login.throttle.perAddress.windowSeconds: must be a number (given "a day", allowed 1 to 86400)',
      'login.throttle.perUser: unknown key (allowed perAccount, perAddress)',
      'session.lifetimeSeconds: is out of range (given 10, allowed 60 to 31622400)',
      'session.sliding: must be true or false (given "yes")',
      'throttle.store: is not allowed (given "redis", allowed memory, operational)',
    ])
  })
})

describe('grant types: only those the server answers', () => {
  test('authorization_code, client_credentials, device_code and extension grant URIs are accepted', () => {
    const config = parseConfig(
      client([
        'authorization_code',
        'client_credentials',
        'urn:ietf:params:oauth:grant-type:device_code',
        'urn:ietf:params:oauth:grant-type:token-exchange',
      ]),
      { baseDir: dir.path },
    )
    expect(config.seed.clients?.[0]?.allowedGrantTypes).toHaveLength(4)
  })

  test('password is refused as not supported yet', () => {
    expect(problems(client(['password']))).toEqual([
      'seed.clients[0].allowedGrantTypes[0]: is not supported yet (given "password", allowed authorization_code, client_credentials, urn:ietf:params:oauth:grant-type:device_code, or an absolute URI naming an extension grant)',
    ])
  })

  test('clients add --grant password is refused with the same message', async () => {
    const config = writeConfig(dir.path, { store: `file:${join(dir.path, 'portico.db')}` })
    const add = await runCli(['clients', 'add', 'legacy', '--grant', 'password', '--config', config])
    expect(add.exitCode).not.toBe(0)
    expect(add.stderr).toContain('allowedGrantTypes[0]: is not supported yet (given "password"')
  }, 30_000)
})
