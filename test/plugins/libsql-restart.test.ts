/**
 * The embedded default across a restart: `bun run server` with no store configured keeps
 * everything in ./data/portico.db. The first start seeds a client, an API and a user, and a
 * reference token makes a persisted grant; the second start has no seed at all, yet the client
 * still gets tokens, the grant still introspects, the signing keys are the same, and the user,
 * client and grant are in the file.
 */
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Subprocess, spawn } from 'bun'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import libsql from '../../plugins/libsql/index.ts'
import { freePort } from './fixtures/sql/namespace.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const cwd = mkdtempSync(join(tmpdir(), 'portico-restart-'))
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

const seed = {
  seed: {
    apiScopes: [{ name: 'api1' }],
    apiResources: [
      { name: 'https://api.example.com', scopes: ['api1'], apiSecrets: [{ value: 'api-secret' }] },
    ],
    clients: [
      {
        clientId: 'machine',
        clientSecrets: [{ value: 'machine-secret' }],
        allowedGrantTypes: ['client_credentials'],
        allowedScopes: ['api1'],
        accessTokenType: 'reference',
      },
    ],
    users: [{ subjectId: '1', username: 'alice', password: 'alice-pass', claims: { name: 'Alice' } }],
  },
}

/** RFC 6749 §2.3.1: both parts form-encoded, then base64. */
const basic = (id: string, secret: string) =>
  `Basic ${btoa(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`)}`

/** `bun run server` in `cwd`: the script's command, run from there so ./data is cwd's. */
async function startServer(args: string[]): Promise<{ url: string; stop(): Promise<number> }> {
  const port = await freePort()
  const server: Subprocess = spawn(
    // The repository's tsconfig sets the JSX runtime of the server's pages.
    [
      process.execPath,
      `--tsconfig-override=${join(root, 'tsconfig.json')}`,
      join(root, 'server/main.ts'),
      ...args,
    ],
    {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, PORT: String(port), PORTICO_LOG_LEVEL: 'warn' },
      stdout: 'ignore',
      stderr: 'pipe',
    },
  )
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ready) break
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill()
      throw new Error(
        `the server did not become ready: ${await new Response(server.stderr as ReadableStream).text()}`,
      )
    }
    await Bun.sleep(100)
  }
  return {
    url,
    async stop() {
      server.kill('SIGTERM')
      return server.exited
    },
  }
}

const token = (url: string) =>
  fetch(`${url}/connect/token`, {
    method: 'POST',
    headers: {
      authorization: basic('machine', 'machine-secret'),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api1' }),
  })

const introspect = (url: string, handle: string) =>
  fetch(`${url}/connect/introspect`, {
    method: 'POST',
    headers: {
      authorization: basic('https://api.example.com', 'api-secret'),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token: handle }),
  })

const kids = async (url: string) => {
  const jwks = (await (await fetch(`${url}/.well-known/openid-configuration/jwks`)).json()) as {
    keys: { kid: string }[]
  }
  return jwks.keys.map((key) => key.kid).sort()
}

test('clients, users, grants and keys survive a restart on the default libSQL file', async () => {
  writeFileSync(join(cwd, 'seed.json'), JSON.stringify(seed))
  const first = await startServer(['--config', 'seed.json'])
  let handle: string
  let keysBefore: string[]
  try {
    const response = await token(first.url)
    expect(response.status).toBe(200)
    handle = ((await response.json()) as { access_token: string }).access_token
    keysBefore = await kids(first.url)
    expect(keysBefore.length).toBeGreaterThan(0)
  } finally {
    expect(await first.stop()).toBe(0)
  }

  const second = await startServer([])
  try {
    expect(await kids(second.url)).toEqual(keysBefore)
    expect(((await (await introspect(second.url, handle)).json()) as { active: boolean }).active).toBe(true)
    expect((await token(second.url)).status).toBe(200)
  } finally {
    expect(await second.stop()).toBe(0)
  }

  const instance = await libsql.create(
    { url: `file:${join(cwd, 'data/portico.db')}` },
    { roles: ['configuration', 'operational', 'keys'], clock: systemClock, logger: silentLogger },
  )
  try {
    expect(await instance.configuration!.users.findByUsername('alice')).toMatchObject({
      subjectId: '1',
      claims: { name: 'Alice' },
    })
    expect(await instance.configuration!.clients.findClientById('machine')).toMatchObject({
      accessTokenType: 'reference',
    })
    expect(
      await instance.operational!.grants.getAll({ clientId: 'machine', type: 'reference_token' }),
    ).toHaveLength(2)
    expect((await instance.keys!.list()).length).toBeGreaterThanOrEqual(keysBefore.length)
  } finally {
    await instance.close()
  }
}, 90_000)
