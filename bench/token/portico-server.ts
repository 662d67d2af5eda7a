/**
 * Portico as operators run it (`bun server/main.ts --config FILE`), on a given store, with a
 * seed holding one JWT client, one reference client and one API resource (plus the clients and
 * users a benchmark adds).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ServerProcess, startServer } from './server-process.ts'

export const benchSecrets = {
  client: 'bench-secret-0123456789',
  reference: 'bench-reference-secret-0123456789',
  api: 'bench-api-secret-0123456789',
}
export const benchApi = 'https://api.example.com'

export type BenchStore = 'memory' | 'libsql' | 'redis'

export interface PorticoServer extends ServerProcess {
  base: string
}

export async function startPorticoServer(options: {
  port: number
  store: BenchStore
  accessTokenAlgorithm: 'ES256' | 'RS256'
  logLevel?: string
  /** Appended to the seed's clients and users (e.g. relying parties and users for sign-ins). */
  seed?: { clients?: Record<string, unknown>[]; users?: Record<string, unknown>[] }
  /** Proxies whose X-Forwarded-For names the client address (the login throttle's per-address key). */
  trustProxy?: string[]
}): Promise<PorticoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-server-'))
  const base = `http://127.0.0.1:${options.port}`
  const prefix = `portico-bench:${crypto.randomUUID()}:`
  const store =
    options.store === 'memory'
      ? 'memory:'
      : options.store === 'libsql'
        ? `file:${join(dir, 'portico.db')}`
        : { plugin: 'redis', options: { url: 'redis://127.0.0.1:6379', prefix } }
  const config = {
    issuer: base,
    port: options.port,
    hostname: '127.0.0.1',
    store,
    // Production refuses a passphrase (server/key-secret.ts): random key material, as an operator's.
    keySecret: randomBytes(32).toString('base64url'),
    dataDir: join(dir, 'data'),
    signing: { accessTokenAlgorithm: options.accessTokenAlgorithm },
    log: { level: options.logLevel ?? 'info' },
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    // PORTICO_BENCH_METRICS=1: Prometheus metrics on (the A/B of their cost on the hot path).
    ...(process.env.PORTICO_BENCH_METRICS === '1' ? { metrics: { enabled: true } } : {}),
    seed: {
      apiScopes: [{ name: 'api1' }],
      apiResources: [{ name: benchApi, scopes: ['api1'], apiSecrets: [{ value: benchSecrets.api }] }],
      clients: [
        {
          clientId: 'bench',
          clientSecrets: [{ value: benchSecrets.client }],
          allowedGrantTypes: ['client_credentials'],
          allowedScopes: ['api1'],
        },
        {
          clientId: 'bench-reference',
          clientSecrets: [{ value: benchSecrets.reference }],
          allowedGrantTypes: ['client_credentials'],
          allowedScopes: ['api1'],
          accessTokenType: 'reference',
        },
        ...(options.seed?.clients ?? []),
      ],
      users: options.seed?.users ?? [],
    },
  }
  const file = join(dir, 'portico.json')
  writeFileSync(file, JSON.stringify(config))
  const main = new URL('../../server/main.ts', import.meta.url).pathname
  // PORTICO_BENCH_PROFILE_DIR=dir: each Portico server writes a CPU profile (.cpuprofile and markdown) there on exit.
  const profileDir = process.env.PORTICO_BENCH_PROFILE_DIR
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-md', `--cpu-prof-dir=${profileDir}`] : []
  const command = [process.execPath, ...profile, main, '--config', file]
  const server = await startServer(command, `${base}/healthz`, {
    NODE_ENV: 'production',
  })
  return {
    ...server,
    base,
    async stop() {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
      if (options.store === 'redis') await dropRedisPrefix(prefix)
    },
  }
}

async function dropRedisPrefix(prefix: string): Promise<void> {
  const { Redis } = await import('ioredis')
  const client = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 })
  try {
    let cursor = '0'
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      if (keys.length > 0) await client.unlink(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    client.disconnect()
  }
}
