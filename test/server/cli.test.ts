import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import { hashSecret } from '../../core/models/secret.ts'
import { loadConfig } from '../../server/config/load.ts'
import { openStores } from '../../server/stores/load.ts'
import { runCli, tempDir, writeConfig } from './fixtures/process.ts'

// The CLI and the test share a libSQL file, so what one process writes the next one reads.
const dir = tempDir()
let config: string
beforeAll(() => {
  config = writeConfig(dir.path, { store: `file:${join(dir.path, 'portico.db')}` })
})
afterAll(() => dir.remove())

async function configurationStores() {
  const loaded = await loadConfig({ path: config, env: {} })
  const opened = await openStores({
    stores: loaded.stores,
    baseDir: loaded.baseDir,
    clock: systemClock,
    logger: silentLogger,
    migrate: true,
    roles: ['configuration'],
  })
  return { stores: opened.stores.configuration!, close: opened.close }
}

describe('bun run portico', () => {
  test('unknown and missing verbs are usage errors', async () => {
    const unknown = await runCli(['frobnicate'])
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toStartWith('portico: unknown command "frobnicate" (allowed check, clients, ')
    const none = await runCli([])
    expect(none.exitCode).toBe(2)
    expect(none.stdout).toContain('clients')
  })

  test('clients add, list, remove', async () => {
    const add = await runCli([
      'clients',
      'add',
      'machine',
      '--secret',
      'machine-secret-0123',
      '--grant',
      'client_credentials',
      '--scope',
      'api1',
      '--config',
      config,
    ])
    // Allowed, but a token request for api1 fails until the scope exists: the operator is told.
    expect(add.stderr).toBe('portico: warning: no scope "api1" yet (add it: portico scopes add api1)\n')
    expect(add.exitCode).toBe(0)

    const again = await runCli([
      'clients',
      'add',
      'machine',
      '--secret',
      'another-secret-0123',
      '--config',
      config,
    ])
    expect(again.exitCode).toBe(1)
    expect(again.stderr).toBe('portico: client "machine" already exists (use --replace to overwrite it)\n')

    const generated = await runCli([
      'clients',
      'add',
      'spa',
      '--grant',
      'client_credentials',
      '--config',
      config,
    ])
    expect(generated.exitCode).toBe(0)
    const secret = /client secret \(shown once, stored hashed\): (\S+)/.exec(generated.stdout)?.[1]
    expect(secret).toBeString()
    // 256 bits, base64url.
    expect(Buffer.from(secret!, 'base64url')).toHaveLength(32)

    const list = await runCli(['clients', 'list', '--config', config])
    expect(list.exitCode).toBe(0)
    expect(list.stdout).toBe(
      [
        'CLIENT   KIND          GRANTS              SCOPES  ENABLED',
        'machine  confidential  client_credentials  api1    yes',
        'spa      confidential  client_credentials  -       yes',
        '',
      ].join('\n'),
    )

    const { stores, close } = await configurationStores()
    try {
      expect((await stores.clients.findClientById('machine'))!.clientSecrets[0]!.value).toBe(
        hashSecret('machine-secret-0123'),
      )
      expect((await stores.clients.findClientById('spa'))!.clientSecrets[0]!.value).toBe(hashSecret(secret!))
    } finally {
      await close()
    }

    expect((await runCli(['clients', 'remove', 'spa', '--config', config])).exitCode).toBe(0)
    const gone = await runCli(['clients', 'remove', 'spa', '--config', config])
    expect(gone.exitCode).toBe(1)
    expect(gone.stderr).toBe('portico: no client "spa"\n')
  }, 30_000)

  test('clients show and update: fields change, --new-secret replaces the secrets, none is printed', async () => {
    await runCli([
      'clients',
      'add',
      'svc',
      '--secret',
      'svc-secret-0123456789',
      '--grant',
      'client_credentials',
      '--config',
      config,
    ])
    const updated = await runCli([
      'clients',
      'update',
      'svc',
      '--name',
      'Service',
      '--disable',
      '--new-secret',
      '--config',
      config,
    ])
    expect(updated.exitCode).toBe(0)
    const secret = /client secret \(shown once, stored hashed\): (\S+)/.exec(updated.stdout)![1]!
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32)

    const shown = await runCli(['clients', 'show', 'svc', '--json', '--config', config])
    expect(JSON.parse(shown.stdout)).toMatchObject({
      clientId: 'svc',
      clientName: 'Service',
      enabled: false,
      allowedGrantTypes: ['client_credentials'],
      clientSecrets: [{ type: 'SharedSecret' }],
    })
    const table = await runCli(['clients', 'show', 'svc', '--config', config])
    expect(table.stdout).toMatch(/^clientId +svc$/m)
    for (const output of [shown.stdout, table.stdout]) {
      expect(output).not.toContain(hashSecret(secret))
      expect(output).not.toContain(hashSecret('svc-secret-0123456789'))
    }
    const { stores, close } = await configurationStores()
    try {
      expect((await stores.clients.findClientById('svc'))!.clientSecrets.map((s) => s.value)).toEqual([
        hashSecret(secret),
      ])
    } finally {
      await close()
    }
    // The merged client is checked as a whole: client_credentials needs a confidential client.
    const invalid = await runCli([
      'clients',
      'update',
      'svc',
      '--json',
      '{"requireClientSecret":false}',
      '--config',
      config,
    ])
    expect(invalid.exitCode).toBe(2)
    expect(invalid.stderr).toStartWith(
      'portico: invalid client: client.allowedGrantTypes: client_credentials needs a confidential client',
    )
    const missing = await runCli(['clients', 'update', 'nothing', '--name', 'x', '--config', config])
    expect([missing.exitCode, missing.stderr]).toEqual([1, 'portico: no client "nothing"\n'])
  }, 30_000)

  test('a shared secret under 16 characters: refused in production (exit 2), warned about in development', async () => {
    const args = ['clients', 'add', 'weak', '--secret', 'short-secret', '--grant', 'client_credentials']
    const refused = await runCli([...args, '--config', config], { env: { NODE_ENV: 'production' } })
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toContain(
      'clientSecrets[0].value: is too short for a shared secret (given 12 characters, allowed at least 16',
    )
    expect(refused.stderr).not.toContain('short-secret')
    const warned = await runCli([...args, '--config', config])
    expect(warned.exitCode).toBe(0)
    expect(warned.stderr).toContain('clientSecrets[0].value: is too short for a shared secret')
    expect(warned.stderr).not.toContain('short-secret')
  })

  test('clients add validates like a seed entry', async () => {
    const bad = await runCli([
      'clients',
      'add',
      'web',
      '--grant',
      'authorization_code',
      '--redirect-uri',
      'not a url',
      '--config',
      config,
    ])
    expect(bad.exitCode).toBe(2)
    // One line: the problems, then where usage is.
    expect(bad.stderr).toBe(
      'portico: invalid client: redirectUris[0]: must be an absolute URL (given "not a url") (see: portico clients --help)\n',
    )
  })

  test('users add hashes the password read from stdin', async () => {
    const add = await runCli(
      [
        'users',
        'add',
        'alice',
        '--subject',
        '1',
        '--password-stdin',
        '--claim',
        'email=alice@example.com',
        '--config',
        config,
      ],
      { stdin: 'alice-pass\n' },
    )
    expect(add.stderr).toBe('')
    expect(add.exitCode).toBe(0)
    const { stores, close } = await configurationStores()
    try {
      const alice = (await stores.users.findByUsername('alice'))!
      expect(alice.subjectId).toBe('1')
      expect(alice.claims).toEqual({ email: 'alice@example.com' })
      expect(alice.passwordHash).toStartWith('$argon2id$')
      expect(await Bun.password.verify('alice-pass', alice.passwordHash!)).toBe(true)
    } finally {
      await close()
    }
  })
})
