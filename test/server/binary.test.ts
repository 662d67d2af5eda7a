/**
 * The single binary (operator contract: `npm run build`): built once, copied alone into an empty
 * folder with no package.json or node_modules anywhere above it, and started as an operator
 * starts it (`./portico --config portico.json`, production mode, the issuer, port and key secret
 * from the environment) on the default store, the embedded libSQL file. Discovery,
 * client_credentials and a sign-in by a stock relying party then run against that process.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { copyFileSync, existsSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { type RelyingPartyServer, startRelyingParty } from '../e2e/sign-in/relying-party.ts'
import { UserAgent } from '../e2e/sign-in/user-agent.ts'
import { migrationCount } from '../plugins/fixtures/sql/first-migration.ts'
import { dropSchema, freePort, freshPostgres, withPostgres } from '../plugins/fixtures/sql/namespace.ts'
import { type RunningServer, repoRoot, startServer, tempDir, writeConfig } from './fixtures/process.ts'

const web = { clientId: 'web', secret: 'web-secret-0123456789abcdef' }
const machine = { clientId: 'machine', secret: 'machine-secret-0123456789abcdef' }
const alice = { username: 'alice', password: 'alice-password-1234', subjectId: '1' }
const keySecret = 'yq3GmU4b1nWc7Zt0pXo5sKe9vLh2RdJ8fAiB6wNuTgE'

let build: ReturnType<typeof tempDir>
let dir: ReturnType<typeof tempDir>
let binary: string
let rp: RelyingPartyServer
let server: RunningServer
let issuer: string

/** `bun run build`, into a folder of the test's own so a developer's dist/ is left alone. */
async function buildBinary(outfile: string): Promise<void> {
  const proc = Bun.spawn([process.execPath, 'run', '--silent', 'build', '--outfile', outfile], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, status] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  if (status !== 0) throw new Error(`bun run build failed (${status}):\n${stdout}${stderr}`)
}

/** Every folder from `path` up to the root, as module resolution walks them. */
function ancestors(path: string): string[] {
  const dirs = [path]
  while (dirname(dirs.at(-1)!) !== dirs.at(-1)) dirs.push(dirname(dirs.at(-1)!))
  return dirs
}

beforeAll(async () => {
  build = tempDir()
  await buildBinary(join(build.path, 'portico'))
  dir = tempDir()
  binary = join(dir.path, 'portico')
  copyFileSync(join(build.path, 'portico'), binary)
  console.log(`dist/portico: ${(statSync(binary).size / 1024 / 1024).toFixed(1)} MB`)

  rp = startRelyingParty(web)
  const config = {
    hostname: '127.0.0.1',
    seed: {
      apiScopes: [{ name: 'api1' }],
      clients: [
        {
          clientId: machine.clientId,
          clientSecrets: [{ value: machine.secret }],
          allowedGrantTypes: ['client_credentials'],
          allowedScopes: ['api1'],
        },
        {
          clientId: web.clientId,
          clientSecrets: [{ value: web.secret }],
          allowedGrantTypes: ['authorization_code'],
          redirectUris: [rp.redirectUri],
          allowedScopes: ['openid', 'profile', 'email'],
          requireConsent: true,
        },
      ],
      users: [
        {
          subjectId: alice.subjectId,
          username: alice.username,
          password: alice.password,
          claims: { name: 'Alice Smith', email: 'alice@example.com', email_verified: true },
        },
      ],
    },
  }
  // A free port now, so the issuer can be fixed before the server starts.
  const port = await freePort()
  issuer = `http://127.0.0.1:${port}`
  // No store is named: the default libSQL file, ./data/portico.db, lands beside the binary.
  server = await startServer(
    ['--config', writeConfig(dir.path, config)],
    { NODE_ENV: 'production', PORT: String(port), PORTICO_ISSUER: issuer, PORTICO_KEY_SECRET: keySecret },
    { cwd: dir.path, command: [binary] },
  )
  await rp.connect(server.url)
}, 120_000)

afterAll(async () => {
  const status = await server?.stop()
  rp?.close()
  dir?.remove()
  build?.remove()
  expect(status).toBe(0)
})

test('the binary runs alone: no package.json or node_modules in its folder or any folder above', () => {
  for (const folder of ancestors(dir.path)) {
    expect(existsSync(join(folder, 'package.json'))).toBe(false)
    expect(existsSync(join(folder, 'node_modules'))).toBe(false)
  }
  expect(server.url).toBe(issuer)
})

test('discovery lists the endpoints under the issuer from PORTICO_ISSUER', async () => {
  const response = await fetch(`${server.url}/.well-known/openid-configuration`)
  expect(response.status).toBe(200)
  const metadata = (await response.json()) as Record<string, unknown>
  expect(metadata).toMatchObject({
    issuer,
    token_endpoint: `${issuer}/connect/token`,
    jwks_uri: `${issuer}/.well-known/openid-configuration/jwks`,
  })
  expect(metadata.grant_types_supported).toContain('client_credentials')
})

test('client_credentials gives the seeded machine client a token that verifies against the JWKS', async () => {
  const metadata = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as {
    token_endpoint: string
    jwks_uri: string
  }
  const response = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${machine.clientId}:${machine.secret}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api1' }),
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as { access_token: string; token_type: string; scope: string }
  expect(body).toMatchObject({ token_type: 'Bearer', scope: 'api1' })
  const { payload } = await jwtVerify(body.access_token, createRemoteJWKSet(new URL(metadata.jwks_uri)), {
    issuer,
  })
  expect(payload).toMatchObject({ client_id: machine.clientId, scope: 'api1' })
})

test('openid-client signs alice in against the binary', async () => {
  const browser = new UserAgent()
  const login = await browser.navigate(`${rp.origin}/login`)
  expect(login.status).toBe(200)
  expect(login.url.startsWith(`${issuer}/account/login?`)).toBe(true)
  const consent = await browser.submit(login, { username: alice.username, password: alice.password })
  expect(consent.status).toBe(200)
  expect(consent.url.startsWith(`${issuer}/consent?`)).toBe(true)
  const back = await browser.submit(consent, {}, 'allow')
  expect(rp.failures).toEqual([])
  expect(back.status).toBe(200)
  expect(back.html).toContain('Hello, Alice Smith')
  expect(rp.signIns[0]?.claims).toMatchObject({ iss: issuer, sub: alice.subjectId, aud: web.clientId })
  expect(rp.signIns[0]?.userinfo).toMatchObject({ sub: alice.subjectId, email: 'alice@example.com' })
  // Migrated and kept in the default file beside the binary.
  expect(existsSync(join(dir.path, 'data', 'portico.db'))).toBe(true)
}, 30_000)

/** `./portico <args>` from the binary's folder, to completion. */
async function runBinary(args: string[]) {
  const proc = Bun.spawn([binary, ...args], {
    cwd: dir.path,
    env: { PATH: process.env.PATH ?? '', PORTICO_KEY_SECRET: keySecret },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, status] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  return { stdout, stderr, status }
}

test('the binary runs CLI verbs too: `./portico clients list` reads the seeded clients', async () => {
  const { stdout, stderr, status } = await runBinary(['clients', 'list', '--config', 'portico.json'])
  expect({ status, stderr }).toEqual({ status: 0, stderr: '' })
  expect(stdout).toContain(machine.clientId)
  expect(stdout).toContain(web.clientId)
}, 30_000)

test('a .ts config importing portico/config, and a plugin by path importing portico, load without node_modules', async () => {
  writeFileSync(
    join(dir.path, 'memory.config.ts'),
    "import { defineConfig } from 'portico/config'\nexport default defineConfig({ store: 'memory:' })\n",
  )
  const memory = await runBinary(['check', '--config', 'memory.config.ts'])
  expect({ status: memory.status, stderr: memory.stderr }).toEqual({ status: 0, stderr: '' })
  expect(memory.stdout).toContain('configuration=memory')

  // The plugin's create() is reached: it was imported, and passed the definePlugin checks.
  writeFileSync(
    join(dir.path, 'refusing-store.ts'),
    [
      "import { CONTRACT_VERSION, definePlugin } from 'portico'",
      'export default definePlugin({',
      "  name: 'refusing', contract: CONTRACT_VERSION,",
      "  capabilities: { roles: ['configuration', 'operational', 'keys'] },",
      "  async create() { throw new Error('refusing-store create() reached') },",
      '})',
    ].join('\n'),
  )
  writeFileSync(
    join(dir.path, 'plugin.config.ts'),
    "import { defineConfig } from 'portico/config'\nexport default defineConfig({ store: { plugin: './refusing-store.ts' } })\n",
  )
  const plugin = await runBinary(['check', '--config', 'plugin.config.ts'])
  expect(plugin.status).toBe(1)
  expect(plugin.stderr).toContain('refusing-store create() reached')
}, 30_000)

test('the built-in postgres and redis plugins are inside: `./portico migrate` and `check` against real servers', async () => {
  const postgres = freshPostgres()
  const config = {
    stores: {
      configuration: { plugin: 'postgres', options: { url: postgres.url, schema: postgres.schema } },
      operational: {
        plugin: 'redis',
        options: { url: 'redis://127.0.0.1:6379/0', prefix: `${postgres.schema}:` },
      },
      keys: { plugin: 'postgres', options: { url: postgres.url, schema: postgres.schema } },
    },
  }
  writeConfig(dir.path, config, 'shared.json')
  try {
    const migrate = await runBinary(['migrate', '--config', 'shared.json'])
    expect({ status: migrate.status, stderr: migrate.stderr }).toEqual({ status: 0, stderr: '' })
    // Every migration the tree holds, applied from the list inlined at build time.
    const [history] = await withPostgres(
      (sql) => sql`select count(*)::int as n from ${sql(postgres.schema!)}.__drizzle_migrations`,
    )
    expect(history?.n).toBe(migrationCount('postgres'))

    const check = await runBinary(['check', '--config', 'shared.json'])
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' })
    expect(check.stdout).toContain('configuration=postgres, operational=redis, keys=postgres')
  } finally {
    await dropSchema(postgres)
  }
}, 30_000)
