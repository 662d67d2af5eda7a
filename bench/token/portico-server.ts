/**
 * Portico as operators run it (`bun server/main.ts --config FILE`), on a given store, with a
 * seed holding one JWT client, one reference client and one API resource.
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
      ],
    },
  }
  const file = join(dir, 'portico.json')
  writeFileSync(file, JSON.stringify(config))
  const main = new URL('../../server/main.ts', import.meta.url).pathname
  const server = await startServer([process.execPath, main, '--config', file], `${base}/healthz`, {
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
