/**
 * Portico as an npm package, tried as a new user does: `npm pack`, install the tarball into an
 * empty project outside the checkout, write a `.ts` config importing `portico/config`, start
 * `portico server` and run `npx portico …`, with no `bun` on PATH (a machine with only npm).
 *
 * npm installs from its cache (`--prefer-offline`; CI ran `npm ci` just before), so this stays
 * fast and needs no network when the cache is warm.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { repoRoot, serverConfig, startServer, tempDir } from './fixtures/process.ts'

/** PATH without any folder holding a `bun`: only the package's own Bun may run Portico. */
const npmOnlyPath = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => dir && !existsSync(join(dir, 'bun')))
  .join(delimiter)
const env: Record<string, string> = {
  PATH: npmOnlyPath,
  HOME: process.env.HOME ?? '',
  ...(process.env.npm_config_cache ? { npm_config_cache: process.env.npm_config_cache } : {}),
}

async function run(command: string[], cwd: string) {
  const proc = Bun.spawn(command, { cwd, env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  const timer = setTimeout(() => proc.kill('SIGKILL'), 150_000)
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  clearTimeout(timer)
  if (exitCode !== 0) throw new Error(`${command.join(' ')} exited ${exitCode}\n${stdout}\n${stderr}`)
  return stdout
}

const dir = tempDir()
const project = join(dir.path, 'app')
let packed: string[] = []

beforeAll(async () => {
  const [pack] = JSON.parse(
    await run(['npm', 'pack', '--json', '--silent', '--pack-destination', dir.path], repoRoot),
  ) as { filename: string; files: { path: string }[] }[]
  packed = pack!.files.map((file) => file.path)
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
  const tarball = join(dir.path, pack!.filename)
  await run(['npm', 'install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project)
  writeFileSync(
    join(project, 'portico.config.ts'),
    [
      "import { defineConfig } from 'portico/config'",
      '',
      `export default defineConfig(${JSON.stringify(serverConfig())})`,
      '',
    ].join('\n'),
  )
}, 180_000)

afterAll(() => dir.remove())

describe('the npm package', () => {
  test('the tarball holds what runs (and the conformance kit), not tests, docs or benchmarks', () => {
    for (const file of [
      'bin/portico.js',
      'server/main.ts',
      'server/cli/main.ts',
      'server/config/define.ts',
      'core/index.ts',
      'plugins/libsql/index.ts',
      'ui/layout.tsx',
      'drizzle/libsql/meta/_journal.json',
      'drizzle/postgres/meta/_journal.json',
      'test/conformance/index.ts',
      'test/conformance/bun.ts',
      'LICENSE',
    ]) {
      expect(packed).toContain(file)
    }
    const misplaced = packed.filter(
      (file) =>
        /\.test\.tsx?$/.test(file) ||
        /^(docs|bench|examples|data|\.ci)\//.test(file) ||
        (file.startsWith('test/') && !file.startsWith('test/conformance/')),
    )
    expect(misplaced).toEqual([])
  })

  test('installed: `portico server` runs a .ts config importing portico/config; `npx portico` verbs work', async () => {
    const server = await startServer(['server', '--config', 'portico.config.ts'], env, {
      cwd: project,
      command: [join(project, 'node_modules/.bin/portico')],
    })
    try {
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' })
      const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as {
        issuer: string
        token_endpoint: string
      }
      expect(discovery.issuer).toBe(server.url)
      expect(discovery.token_endpoint).toBe(`${server.url}/connect/token`)

      const check = await run(['npx', 'portico', 'check', '--config', 'portico.config.ts'], project)
      expect(check).toStartWith('ok: configuration is valid')
      await run(['npx', 'portico', 'scopes', 'add', 'api1', '--config', 'portico.config.ts'], project)
      const scopes = JSON.parse(
        await run(['npx', 'portico', 'scopes', 'list', '--json', '--config', 'portico.config.ts'], project),
      ) as { name: string }[]
      expect(scopes.map((scope) => scope.name)).toContain('api1')
      expect(await run(['npx', 'portico', '--help'], project)).toContain('clients')
    } finally {
      // The bin passes SIGTERM on to Bun, which drains and exits 0.
      expect(await server.stop('SIGTERM')).toBe(0)
    }
  }, 60_000)

  test('installed: a host Hono app mounts createPortico under /auth, themed and in German', async () => {
    writeFileSync(
      join(project, 'host.ts'),
      `import { Hono } from 'hono'
import { createPortico } from 'portico/server'

const portico = await createPortico({
  config: {
    issuer: 'http://shop.test/auth',
    store: { plugin: 'memory' },
    log: { level: 'warn' },
    ui: { theme: { productName: 'Acme ID', colors: { primary: '#0f766e' } } },
    seed: {
      identityResources: ['openid', 'profile'],
      clients: [{ clientId: 'shop', requireClientSecret: false, allowedGrantTypes: ['authorization_code'],
        redirectUris: ['http://shop.test/callback'], allowedScopes: ['openid', 'profile'] }],
    },
  },
})
const host = new Hono()
host.get('/', (c) => c.text('shop'))
host.route('/auth', portico.app)
const discovery = await (await host.request('http://shop.test/auth/.well-known/openid-configuration')).json()
const query = new URLSearchParams({ client_id: 'shop', redirect_uri: 'http://shop.test/callback', response_type: 'code',
  scope: 'openid profile', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
  ui_locales: 'de' })
let response = await host.request('http://shop.test/auth/connect/authorize?' + query)
if (response.status === 302) response = await host.request(new URL(response.headers.get('location'), 'http://shop.test/auth/').href)
const page = await response.text()
console.log(JSON.stringify({ issuer: discovery.issuer, home: await (await host.request('http://shop.test/')).text(),
  status: response.status, german: page.includes('lang="de"') && page.includes('Anmelden'), themed: page.includes('Acme ID') && page.includes('#0f766e') }))
await portico.close()
`,
    )
    const bun = join(project, 'node_modules/.bin/bun')
    const result = JSON.parse((await run([bun, 'host.ts'], project)).trim().split('\n').at(-1)!)
    expect(result).toEqual({
      issuer: 'http://shop.test/auth',
      home: 'shop',
      status: 200,
      german: true,
      themed: true,
    })
  }, 60_000)

  test('installed: `portico` and `portico/testing` import from the package', async () => {
    const bun = join(project, 'node_modules/.bin/bun')
    const script =
      "const core = await import('portico'); const kit = await import('portico/testing');" +
      'console.log(typeof core.definePlugin, typeof kit.runStoreConformance)'
    expect((await run([bun, '--eval', script], project)).trim()).toBe('function function')
  }, 30_000)
})
