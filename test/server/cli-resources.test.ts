import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { hashSecret } from '../../core/models/secret.ts'
import { runCli, serverConfig, startServer, tempDir, writeConfig } from './fixtures/process.ts'

// The CLI and the server share a libSQL file, as an operator's terminal and deployment do.
const dir = tempDir()
let config: string
beforeAll(() => {
  config = writeConfig(dir.path, serverConfig({ store: `file:${join(dir.path, 'portico.db')}` }))
})
afterAll(() => dir.remove())

const cli = (...args: string[]) => runCli([...args, '--config', config])

async function token(url: string, clientId: string, secret: string, scope: string) {
  const response = await fetch(`${url}/connect/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${clientId}:${secret}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('scopes, resources and clients from the CLI', () => {
  test('a client made with clients add --scope api1 gets a token once scopes add api1 exists', async () => {
    const added = await cli('clients', 'add', 'web', '--grant', 'client_credentials', '--scope', 'api1')
    expect(added.exitCode).toBe(0)
    const secret = /client secret \(shown once, stored hashed\): (\S+)/.exec(added.stdout)![1]!

    // RFC 6749 §5.2: a scope nothing defines is invalid_scope, even when the client lists it.
    let server = await startServer(['--config', config])
    try {
      const refused = await token(server.url, 'web', secret, 'api1')
      expect(refused.status).toBe(400)
      expect(refused.body.error).toBe('invalid_scope')
    } finally {
      await server.stop()
    }

    expect((await cli('scopes', 'add', 'api1', '--display-name', 'API 1')).exitCode).toBe(0)
    const resource = await cli(
      'resources',
      'add',
      'https://api.example.com',
      '--scope',
      'api1',
      '--generate-secret',
    )
    expect(resource.stderr).toBe('')
    expect(resource.exitCode).toBe(0)
    const apiSecret = /API secret \(shown once, stored hashed\): (\S+)/.exec(resource.stdout)![1]!
    expect(Buffer.from(apiSecret, 'base64url')).toHaveLength(32)

    server = await startServer(['--config', config])
    try {
      const issued = await token(server.url, 'web', secret, 'api1')
      expect(issued.status).toBe(200)
      expect(issued.body.scope).toBe('api1')
      const claims = JSON.parse(
        Buffer.from(String(issued.body.access_token).split('.')[1]!, 'base64url').toString(),
      )
      expect(claims.aud).toBe('https://api.example.com')

      // The generated API secret authenticates the API at the introspection endpoint (RFC 7662 §2.1).
      const introspected = await fetch(`${server.url}/connect/introspect`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${btoa(`${encodeURIComponent('https://api.example.com')}:${apiSecret}`)}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token: String(issued.body.access_token) }),
      })
      expect(introspected.status).toBe(200)
      expect(((await introspected.json()) as { active: boolean }).active).toBe(true)
    } finally {
      await server.stop()
    }
  }, 60_000)

  test('scopes list, resources list and show print tables or JSON, never a secret or its digest', async () => {
    await cli('scopes', 'add', 'reports', '--claim', 'department', '--emphasize')
    const added = await cli('resources', 'add', 'https://reports', '--scope', 'reports', '--generate-secret')
    const secret = /: (\S+)$/m.exec(added.stdout)![1]!

    const scopes = await cli('scopes', 'list')
    expect(scopes.exitCode).toBe(0)
    expect(scopes.stdout).toStartWith('NAME     DISPLAY NAME  FLAGS      CLAIMS\n')
    expect(scopes.stdout).toContain('reports  -             emphasize  department\n')
    const scopesJson = JSON.parse((await cli('scopes', 'list', '--json')).stdout) as { name: string }[]
    expect(scopesJson.map((scope) => scope.name)).toContain('reports')

    const listed = await cli('resources', 'list', '--json')
    const shown = await cli('resources', 'show', 'https://reports', '--json')
    const table = await cli('resources', 'show', 'https://reports')
    for (const output of [listed.stdout, shown.stdout, table.stdout]) {
      expect(output).not.toContain(secret)
      expect(output).not.toContain(hashSecret(secret))
    }
    expect(JSON.parse(shown.stdout)).toMatchObject({
      name: 'https://reports',
      scopes: ['reports'],
      apiSecrets: [{ type: 'SharedSecret' }],
    })
    expect(table.stdout).toStartWith('name ')
  })

  test('remove, and the errors: one line each, non-zero exit', async () => {
    await cli('scopes', 'add', 'temp')
    const again = await cli('scopes', 'add', 'temp')
    expect(again.exitCode).toBe(1)
    expect(again.stderr).toBe('portico: API scope "temp" already exists (use --replace to overwrite it)\n')
    expect((await cli('scopes', 'remove', 'temp')).stdout).toBe('API scope "temp" removed\n')
    const gone = await cli('scopes', 'remove', 'temp')
    expect([gone.exitCode, gone.stderr]).toEqual([1, 'portico: no API scope "temp"\n'])

    const noScope = await cli('resources', 'add', 'https://x')
    expect(noScope.exitCode).toBe(2)
    expect(noScope.stderr).toBe(
      'portico: resources add needs at least one --scope (see: portico resources --help)\n',
    )
    const missing = await cli('resources', 'show', 'https://nothing')
    expect([missing.exitCode, missing.stderr]).toEqual([1, 'portico: no API resource "https://nothing"\n'])
    await cli('resources', 'add', 'https://x', '--scope', 'reports')
    expect((await cli('resources', 'remove', 'https://x')).exitCode).toBe(0)
  })

  test('identity-resources add takes the standard definition by name; others need claims', async () => {
    // The server's first start seeded the standard ones; --replace restores the definition.
    const phone = await cli('identity-resources', 'add', 'phone', '--replace')
    expect(phone.exitCode).toBe(0)
    const custom = await cli(
      'identity-resources',
      'add',
      'badge',
      '--claim',
      'badge_id',
      '--display-name',
      'Badge',
    )
    expect(custom.exitCode).toBe(0)
    const bare = await cli('identity-resources', 'add', 'nothing')
    expect(bare.exitCode).toBe(2)
    expect(bare.stderr.trimEnd().split('\n')).toHaveLength(1)

    const listed = JSON.parse((await cli('identity-resources', 'list', '--json')).stdout) as {
      name: string
      userClaims: string[]
    }[]
    expect(listed.find((r) => r.name === 'phone')?.userClaims).toEqual([
      'phone_number',
      'phone_number_verified',
    ])
    expect(listed.find((r) => r.name === 'badge')?.userClaims).toEqual(['badge_id'])
    const table = await cli('identity-resources', 'list')
    expect(table.stdout).toMatch(/^badge +Badge +- +badge_id$/m)
  })
})
