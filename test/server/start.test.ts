import { describe, expect, test } from 'bun:test'
import { systemClock } from '../../core/clock.ts'
import { parseConfig } from '../../server/config/load.ts'
import { ConfigError } from '../../server/config/problems.ts'
import { createLogger } from '../../server/logging/logger.ts'
import { startPortico } from '../../server/start.ts'

function start(raw: Record<string, unknown>) {
  const config = parseConfig(
    { port: 0, hostname: '127.0.0.1', store: 'memory:', ...raw },
    { baseDir: import.meta.dir },
  )
  const lines: string[] = []
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) })
  return startPortico(config, { logger, clock: systemClock }).then((running) => ({ running, lines }))
}

describe('startPortico', () => {
  test('in production, without issuer or allowedHosts the start is refused; ["*"] starts with a warning', async () => {
    const previous = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      const warned = (lines: string[]) =>
        lines.some((l) => JSON.parse(l).event === 'server.issuer_from_request')
      const refused = await start({}).then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(refused).toBeInstanceOf(ConfigError)
      expect((refused as ConfigError).problems.map((p) => p.path)).toEqual(['issuer'])
      expect((refused as Error).message).toContain('allowedHosts')

      const anyHost = await start({ allowedHosts: ['*'] })
      await anyHost.running.shutdown()
      expect(warned(anyHost.lines)).toBe(true)
      for (const safe of [{ allowedHosts: ['id.example.com'] }, { issuer: 'https://id.example.com' }]) {
        const started = await start(safe)
        await started.running.shutdown()
        expect(warned(started.lines)).toBe(false)
      }
    } finally {
      if (previous === undefined) delete process.env.NODE_ENV
      else process.env.NODE_ENV = previous
    }
  })

  test('a seeded shared secret under 16 characters refuses a production start and is warned about in development', async () => {
    const seed = {
      clients: [{ clientId: 'm', clientSecrets: [{ value: 'short-secret' }] }],
      apiResources: [{ name: 'https://api.example.com', apiSecrets: [{ value: 'api-secret-0123456789' }] }],
    }
    const previous = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      const refused = await start({ issuer: 'https://id.example.com', seed }).then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(refused).toBeInstanceOf(ConfigError)
      expect((refused as ConfigError).problems).toEqual([
        {
          path: 'seed.clients[0].clientSecrets[0].value',
          message:
            'is too short for a shared secret (given 12 characters, allowed at least 16 in production; `portico clients add` generates a 256-bit one)',
        },
      ])
    } finally {
      if (previous === undefined) delete process.env.NODE_ENV
      else process.env.NODE_ENV = previous
    }
    const { running, lines } = await start({ seed })
    await running.shutdown()
    const warnings = lines.filter((l) => JSON.parse(l).event === 'seed.weak_secret')
    expect(warnings.map((l) => JSON.parse(l).path)).toEqual(['seed.clients[0].clientSecrets[0].value'])
    expect(lines.join('\n')).not.toContain('short-secret')
  })

  test('in development, an issuer from any Host still starts (the convenience stays)', async () => {
    const { running, lines } = await start({})
    await running.shutdown()
    expect(lines.some((l) => JSON.parse(l).event === 'server.started')).toBe(true)
  })

  test('starts the key ring, so the JWKS publishes signing keys', async () => {
    const { running } = await start({})
    try {
      expect(running.deps.keyRing).toBeDefined()
      const jwks = (await running.deps.keyRing!.jwks()) as { keys: { alg: string }[] }
      expect(jwks.keys.map((key) => key.alg).sort()).toEqual(['ES256', 'RS256'])
    } finally {
      await running.shutdown()
    }
  })

  test('the cleanup job purges expired grants on its interval', async () => {
    const { running, lines } = await start({ cleanup: { intervalSeconds: 1 } })
    try {
      const now = Date.now()
      await running.deps.stores.operational.grants.store({
        key: 'expiring',
        type: 'authorization_code',
        clientId: 'web',
        createdAt: now,
        expiresAt: now + 100,
        data: '{}',
      })
      const deadline = Date.now() + 5000
      const purged = () =>
        lines.some((line) => {
          const entry = JSON.parse(line)
          return entry.event === 'store.purge_expired' && entry.grants === 1
        })
      while (!purged() && Date.now() < deadline) await Bun.sleep(100)
      expect(purged()).toBe(true)
    } finally {
      await running.shutdown()
    }
  }, 10_000)

  test('cleanup.enabled: false starts no job', async () => {
    const { running, lines } = await start({ cleanup: { enabled: false, intervalSeconds: 1 } })
    await Bun.sleep(1300)
    await running.shutdown()
    expect(lines.some((line) => line.includes('store.purge'))).toBe(false)
  }, 10_000)

  test('shutdown closes the stores: a store call afterwards fails as unavailable', async () => {
    const { running } = await start({})
    await running.shutdown('test')
    await running.shutdown('twice is fine')
    const error = await running.deps.stores.configuration.clients.list().catch((caught) => caught)
    expect(error.code).toBe('ERR_STORE_UNAVAILABLE')
  })
})
