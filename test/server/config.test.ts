import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { exportJWK, generateKeyPair } from 'jose'
import { loadConfig, parseConfig } from '../../server/config/load.ts'
import { ConfigError, reportConfigError } from '../../server/config/problems.ts'
import { configSchema } from '../../server/config/schema.ts'
import { repoRoot, runCli, runServerToExit, tempDir } from './fixtures/process.ts'

const fixtures = join(import.meta.dir, 'fixtures/configs')

async function problems(options: Parameters<typeof loadConfig>[0]): Promise<string[]> {
  try {
    await loadConfig({ env: {}, ...options })
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n')
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('config validation', () => {
  test('wrong values are reported with path, what is wrong, what was given and what is allowed', async () => {
    expect(await problems({ path: join(fixtures, 'bad-values.json') })).toEqual([
      'issuer: must be an http(s) URL without query or fragment (given "https://id.example.com/?tenant=1")',
      'port: is out of range (given 70000, allowed 0 to 65535)',
      'trustProxy[1]: must be an IP address or CIDR range (given "proxy.local")',
      'signing.algorithms[1]: is not allowed (given "HS256", allowed RS256, ES256)',
      'cleanup.intervalSeconds: must be a whole number (given 2.5)',
      'log.level: is not allowed (given "verbose", allowed debug, info, warn, error)',
    ])
  })

  test('unknown keys are errors, naming the keys that are allowed', async () => {
    expect(await problems({ path: join(fixtures, 'unknown-keys.json') })).toEqual([
      'stores.operatonal: unknown key (allowed configuration, operational, keys)',
      'cache.ttl: unknown key (allowed ttlSeconds, keyRefreshSeconds)',
      // Every top-level key, in the schema's order.
      `prot: unknown key (allowed ${Object.keys(configSchema.entries).join(', ')})`,
    ])
  })

  test('seed entries are checked against the IdentityServer models', async () => {
    expect(await problems({ path: join(fixtures, 'bad-seed.json') })).toEqual([
      'seed.identityResources[1]: is not allowed (given "profiles", allowed openid, profile, email, address, phone, offline_access)',
      'seed.clients[0].allowedGrantTypes[1]: is not allowed (given "implicit", allowed authorization_code, client_credentials, urn:ietf:params:oauth:grant-type:device_code, or an absolute URI naming an extension grant)',
      'seed.clients[0].redirectUris[0]: must not contain a fragment (given "http://127.0.0.1:4999/cb#frag")',
      'seed.clients[0].redirectUris[1]: must be an absolute URL (given "not a url")',
      'seed.clients[0].accessTokenType: is not allowed (given "opaque", allowed jwt, reference)',
      'seed.clients[0].accessTokenLifetime: is out of range (given 0, allowed at least 1)',
      'seed.users[0].password: must be a string (given number)',
    ])
  })

  test('a client may be allowed extension grants named by absolute URIs (RFC 6749 §4.5)', async () => {
    const exchange = 'urn:ietf:params:oauth:grant-type:token-exchange'
    const custom = 'https://grants.example.com/delegation'
    const config = parseConfig(
      {
        seed: {
          clients: [
            {
              clientId: 'x',
              clientSecrets: [{ value: 's' }],
              allowedGrantTypes: ['client_credentials', exchange, custom],
            },
          ],
        },
      },
      { baseDir: process.cwd() },
    )
    expect(config.seed.clients?.[0]?.allowedGrantTypes).toEqual(['client_credentials', exchange, custom])
    expect(() =>
      parseConfig(
        {
          seed: {
            clients: [
              { clientId: 'x', clientSecrets: [{ value: 's' }], allowedGrantTypes: ['refresh_token'] },
            ],
          },
        },
        { baseDir: process.cwd() },
      ),
    ).toThrow('seed.clients[0].allowedGrantTypes[0]: is not allowed (given "refresh_token"')
  })

  test('identifiers are capped at 200 characters, reported without echoing the value', () => {
    const long = 'x'.repeat(201)
    let message = ''
    try {
      parseConfig(
        {
          seed: {
            apiScopes: [{ name: long }],
            apiResources: [{ name: long, scopes: [long] }],
            identityResources: [{ name: long }],
            clients: [{ clientId: long, requireClientSecret: false, allowedScopes: [long] }],
            users: [{ subjectId: long, username: long }],
          },
        },
        { baseDir: process.cwd() },
      )
    } catch (error) {
      message = (error as Error).message
    }
    const tooLong = 'is too long (given 201 characters, allowed at most 200)'
    expect(message.split('\n').sort()).toEqual(
      [
        `seed.apiResources[0].name: ${tooLong}`,
        `seed.apiResources[0].scopes[0]: ${tooLong}`,
        `seed.apiScopes[0].name: ${tooLong}`,
        `seed.clients[0].allowedScopes[0]: ${tooLong}`,
        `seed.clients[0].clientId: ${tooLong}`,
        `seed.identityResources[0].name: ${tooLong}`,
        `seed.users[0].subjectId: ${tooLong}`,
        `seed.users[0].username: ${tooLong}`,
      ].sort(),
    )
    const exact = 'y'.repeat(200)
    expect(
      parseConfig({ seed: { users: [{ subjectId: exact, username: exact }] } }, { baseDir: process.cwd() })
        .seed.users?.[0]?.subjectId,
    ).toBe(exact)
  })

  test('a JsonWebKey secret must be a public JWK; a private or malformed one is refused, never echoed', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
    const jwk = async (key: CryptoKey) => JSON.stringify(await exportJWK(key))
    const secrets = [
      { type: 'JsonWebKey', value: await jwk(publicKey) },
      { type: 'JsonWebKey', value: await jwk(privateKey) },
      { type: 'JsonWebKey', value: 'not json' },
    ]
    let error: unknown
    try {
      parseConfig(
        { seed: { clients: [{ clientId: 'x', clientSecrets: secrets }] } },
        { baseDir: process.cwd() },
      )
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message =
      'must be a public JSON Web Key in JSON (given a value that is not, or that holds private key members)'
    expect((error as ConfigError).message.split('\n')).toEqual([
      `seed.clients[0].clientSecrets[1].value: ${message}`,
      `seed.clients[0].clientSecrets[2].value: ${message}`,
    ])
    expect((error as ConfigError).message).not.toContain('not json')
  })

  test('rules across fields: confidential clients need a secret, code clients a redirect URI', async () => {
    const tmp = tempDir()
    const dir = join(tmp.path, 'cross-rules.json')
    await Bun.write(
      dir,
      JSON.stringify({
        signing: { algorithms: ['RS256'] },
        seed: {
          clients: [
            { clientId: 'a', allowedGrantTypes: ['authorization_code'] },
            { clientId: 'b', requireClientSecret: false, allowedGrantTypes: ['client_credentials'] },
          ],
        },
      }),
    )
    try {
      expect(await problems({ path: dir })).toEqual([
        'signing.accessTokenAlgorithm: is not one of signing.algorithms (given "ES256", allowed RS256)',
        'seed.clients[0].clientSecrets: a confidential client needs at least one secret (or set requireClientSecret: false for a public client)',
        'seed.clients[0].redirectUris: an authorization_code client needs at least one redirect URI',
        'seed.clients[1].allowedGrantTypes: client_credentials needs a confidential client (given requireClientSecret: false)',
      ])
    } finally {
      tmp.remove()
    }
  })

  test('a session may not outlive the data-protection key that seals its cookie', () => {
    const problemsOf = (input: Record<string, unknown>) => {
      try {
        parseConfig(input, { baseDir: process.cwd() })
      } catch (error) {
        if (error instanceof ConfigError) return error.message.split('\n')
        throw error
      }
      return []
    }
    expect(problemsOf({ session: { lifetimeSeconds: 200 * 86_400 } })).toContain(
      'session.lifetimeSeconds: exceeds dataProtection.retentionDuration (given 17280000, allowed at most 7776000)',
    )
  })

  test('a file that is not JSON, a missing file and an unsupported type', async () => {
    const tmp = tempDir()
    try {
      await Bun.write(join(tmp.path, 'broken.json'), '{ "port": 3000, }')
      const [notJson] = await problems({ path: join(tmp.path, 'broken.json') })
      expect(notJson).toStartWith('config: is not valid JSON (')
    } finally {
      tmp.remove()
    }
    expect(await problems({ path: 'nowhere.json', cwd: fixtures })).toEqual([
      'config: file not found (given "nowhere.json")',
    ])
    expect(await problems({ path: 'README.md', cwd: repoRoot })).toEqual([
      'config: unsupported file type (given ".md", allowed .json, .ts, .js)',
    ])
  })

  test('a JSON syntax error gives line, column and what was expected, never the file text', async () => {
    const tmp = tempDir()
    const secret = 'TopSecretValue1234567'
    const cases: [string, string][] = [
      [
        `{\n  "port": 3000,\n  "keySecret": ${secret}\n}\n`,
        'line 3, column 16: a JSON value was expected (a string in double quotes, a number, true, false, null, an object or an array)',
      ],
      [`{\n  "keySecret": "${secret}"\n  "port": 3000\n}`, 'line 3, column 3: a comma was expected'],
      [`{ "keySecret": "${secret}", }`, 'line 1, column 41: a property name in double quotes was expected'],
      [`{ "keySecret" "${secret}" }`, 'line 1, column 15: a colon was expected'],
      [`{ "keySecret": "${secret}`, 'line 1, column 16: the string was not closed'],
    ]
    try {
      for (const [text, where] of cases) {
        await Bun.write(join(tmp.path, 'broken.json'), text)
        const [notJson] = await problems({ path: join(tmp.path, 'broken.json') })
        expect(notJson).toBe(`config: is not valid JSON (${where})`)
        expect(notJson).not.toContain(secret)
      }
    } finally {
      tmp.remove()
    }
  })

  test('a .ts config that fails is reported by where it failed, never by its message', async () => {
    const tmp = tempDir()
    const secret = 'TopSecretValue1234567'
    try {
      await Bun.write(join(tmp.path, 'syntax.ts'), `export default {\n  keySecret: ${secret} x,\n}\n`)
      await Bun.write(join(tmp.path, 'throws.ts'), `const a = 1\nthrow new RangeError('${secret}')\n`)
      await Bun.write(join(tmp.path, 'imports.ts'), `import './${secret}.ts'\nexport default {}\n`)
      const reports = [
        ...(await problems({ path: join(tmp.path, 'syntax.ts') })),
        ...(await problems({ path: join(tmp.path, 'throws.ts') })),
        ...(await problems({ path: join(tmp.path, 'imports.ts') })),
      ]
      expect(reports).toEqual([
        'config: could not be loaded (a syntax error at line 2, column 36; run it with bun to see the error)',
        'config: could not be loaded (it threw a RangeError at line 2, column 11; its message is not shown, run it with bun to see it)',
        'config: could not be loaded (it imports a module that cannot be found; run it with bun to see which)',
      ])
      for (const report of reports) expect(report).not.toContain(secret)
    } finally {
      tmp.remove()
    }
  })

  test('a .ts file default-exporting defineConfig is loaded, with defaults filled in', async () => {
    const config = await loadConfig({ path: join(fixtures, 'valid.ts'), env: {} })
    expect(config.port).toBe(4321)
    expect(config.stores.operational).toEqual({ plugin: 'memory', options: {} })
    expect(config.seed.clients?.[0]?.clientId).toBe('machine')
    expect(config.signing).toEqual({
      algorithms: ['RS256', 'ES256'],
      accessTokenAlgorithm: 'ES256',
      propagationTime: 14 * 86_400,
      rotationInterval: 90 * 86_400,
      retentionDuration: 14 * 86_400,
    })
    expect(config.cache.ttlSeconds).toBe(60)
    expect(config.cleanup).toEqual({ enabled: true, intervalSeconds: 3600, batchSize: 1000 })
    expect(config.migrate.auto).toBe(true)
    expect(config.shutdownTimeoutSeconds).toBe(10)
  })

  test('a secret that fails validation is never echoed', async () => {
    const tmp = tempDir()
    try {
      const file = join(tmp.path, 'portico.json')
      await Bun.write(file, JSON.stringify({ keySecret: ['hunter2'] }))
      expect(await problems({ path: file })).toEqual(['keySecret: must be a string (given Array)'])
    } finally {
      tmp.remove()
    }
  })
})

describe('environment overrides', () => {
  test('PORT, PORTICO_ISSUER, PORTICO_LOG_LEVEL and PORTICO_KEY_SECRET win over the file', async () => {
    const config = await loadConfig({
      path: join(fixtures, 'valid.ts'),
      env: {
        PORT: '5555',
        PORTICO_ISSUER: 'https://id.example.com/',
        PORTICO_LOG_LEVEL: 'debug',
        PORTICO_KEY_SECRET: 'a-long-enough-secret-value',
      },
    })
    expect(config.port).toBe(5555)
    expect(config.issuer).toBe('https://id.example.com')
    expect(config.log.level).toBe('debug')
    expect(config.keySecret).toBe('a-long-enough-secret-value')
  })

  test('PORTICO_ALLOWED_HOSTS is a comma-separated list of hosts', async () => {
    const config = await loadConfig({ env: { PORTICO_ALLOWED_HOSTS: 'ID.example.com, localhost:3000' } })
    expect(config.allowedHosts).toEqual(['id.example.com', 'localhost:3000'])
    expect(await problems({ env: { PORTICO_ALLOWED_HOSTS: 'https://id.example.com/' } })).toEqual([
      'PORTICO_ALLOWED_HOSTS: must be a host with an optional port, or "*" (given "https://id.example.com/")',
    ])
  })

  test('PORTICO_CONFIG names the file when --config is absent', async () => {
    const config = await loadConfig({ env: { PORTICO_CONFIG: join(fixtures, 'valid.ts') } })
    expect(config.port).toBe(4321)
  })

  test('store URLs pick the plugin by scheme; a role variable wins over PORTICO_STORE', async () => {
    const config = await loadConfig({
      env: {
        PORTICO_STORE: 'postgresql://root@127.0.0.1:5432/test',
        PORTICO_OPERATIONAL_STORE: 'rediss://cache.internal:6380/0',
        PORTICO_KEY_STORE: 'file:./data/keys.db',
      },
    })
    expect(config.stores).toEqual({
      configuration: { plugin: 'postgres', options: { url: 'postgresql://root@127.0.0.1:5432/test' } },
      operational: { plugin: 'redis', options: { url: 'rediss://cache.internal:6380/0' } },
      // Relative to the working directory, as there is no config file.
      keys: { plugin: 'libsql', options: { url: `file:${join(process.cwd(), 'data/keys.db')}` } },
    })
  })

  test('PORTICO_STORE replaces per-role stores from the file', async () => {
    const tmp = tempDir()
    const dir = join(tmp.path, 'per-role.json')
    await Bun.write(
      dir,
      JSON.stringify({ stores: { keys: { plugin: 'postgres', options: { url: 'postgres://x/y' } } } }),
    )
    try {
      const config = await loadConfig({ path: dir, env: { PORTICO_STORE: 'memory:' } })
      expect(config.stores.keys).toEqual({ plugin: 'memory', options: {} })
    } finally {
      tmp.remove()
    }
  })

  test('bad environment values are reported under the variable name, without URL credentials', async () => {
    const lines = await problems({
      env: { PORT: 'abc', PORTICO_STORE: 'mysql://root:hunter2@db/portico', PORTICO_LOG_LEVEL: 'loud' },
    })
    expect(lines).toEqual([
      'PORT: must be a number (given "abc", allowed 0 to 65535)',
      'PORTICO_STORE: unknown store URL scheme (given "mysql:", allowed memory:, file:, libsql:, postgres:, postgresql:, redis:, rediss:)',
      'PORTICO_LOG_LEVEL: is not allowed (given "loud", allowed debug, info, warn, error)',
    ])
  })

  test('without a file or environment the defaults hold: port 3000, the default store, nothing seeded', async () => {
    const config = await loadConfig({ env: {} })
    expect(config.port).toBe(3000)
    expect(config.issuer).toBeUndefined()
    expect(config.seed).toEqual({})
    expect(new Set(Object.values(config.stores).map((spec) => spec.plugin)).size).toBe(1)
  })
})

describe('environment variable substitution in the file', () => {
  test('secrets come from the environment; $${VAR} stays literal', async () => {
    const config = await loadConfig({
      path: join(fixtures, 'secret-ref.json'),
      env: { PORTICO_TEST_DB_PASSWORD: 's3cr3t', PORTICO_TEST_KEY_SECRET: 'key-secret-of-24-chars!!' },
    })
    expect(config.stores.operational.options).toEqual({
      url: 'postgres://portico:s3cr3t@127.0.0.1:5432/test',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal the escape produces
      note: '${NOT_A_REF}',
    })
    expect(config.keySecret).toBe('key-secret-of-24-chars!!')
  })

  test('an unset variable is an error at the path that uses it', async () => {
    expect(await problems({ path: join(fixtures, 'secret-ref.json') })).toEqual([
      'stores.operational.options.url: environment variable PORTICO_TEST_DB_PASSWORD is not set',
      'keySecret: environment variable PORTICO_TEST_KEY_SECRET is not set',
    ])
  })
})

describe('exit status and output', () => {
  test('the server prints every problem, no stack trace, and exits 2', async () => {
    const result = await runServerToExit(['--config', join(fixtures, 'bad-values.json')])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('port: is out of range (given 70000, allowed 0 to 65535)')
    expect(result.stderr).toContain('log.level: is not allowed (given "verbose"')
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.stderr).not.toContain('.ts:')
  })

  test('`portico check` says ok for a valid file and exits 2 for a broken one', async () => {
    const ok = await runCli(['check', '--config', join(fixtures, 'valid.ts')])
    expect(ok.stderr).toBe('')
    expect(ok.exitCode).toBe(0)
    expect(ok.stdout).toStartWith('ok: configuration is valid')
    const bad = await runCli(['check', '--config', join(fixtures, 'unknown-keys.json')])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('  cache.ttl: unknown key (allowed ttlSeconds, keyRefreshSeconds)\n')
    expect(bad.stderr).not.toMatch(/\n\s+at /)
  })

  test('reportConfigError heads the list with the file', () => {
    const error = new ConfigError([{ path: 'port', message: 'x' }], 'portico.json')
    expect(reportConfigError(error)).toBe('portico: invalid configuration in portico.json\n  port: x')
  })
})
