/**
 * A Portico app over one store backend, seeded with the clients and resources the token
 * tests use, with a key ring on the same store and a clock the tests can move.
 */
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import type { Clock } from '../../core/clock.ts'
import { KeyRing } from '../../core/keys/key-ring.ts'
import { silentLogger } from '../../core/logger.ts'
import type { GrantHandler } from '../../core/protocol/token/grant-handlers.ts'
import type { StoreRole } from '../../core/stores/contract.ts'
import { storeRoles } from '../../core/stores/contract.ts'
import { createPorticoApp } from '../../server/app.ts'
import { parseConfig } from '../../server/config/load.ts'
import type { PorticoConfig } from '../../server/config/resolve.ts'
import { applySeed } from '../../server/seed.ts'
import type { Stores } from '../../server/stores/load.ts'
import { type Backend, memoryBackend } from './backends.ts'

export class TestClock implements Clock {
  constructor(private time = Date.now()) {}
  now(): number {
    return this.time
  }
  advance(ms: number): void {
    this.time += ms
  }
}

export const issuer = 'https://id.example.test'
export const api1 = 'https://api.example.com'
export const api2 = 'https://api2.example.com'

/** Plain secrets of the seeded clients and APIs (stored hashed). */
export const secrets = {
  m2m: 'm2m-secret-0123456789',
  reference: 'reference-secret-0123456789',
  other: 'other-secret-0123456789',
  api1: 'api1-secret-0123456789',
  api2: 'api2-secret-0123456789',
  spaced: 'sé cret:with%special&chars',
} as const

export interface PorticoUnderTest {
  app: ReturnType<typeof createPorticoApp>
  keyRing: KeyRing
  clock: TestClock
  config: PorticoConfig
  stores: Stores
  /** The private key of the `signed` client (private_key_jwt). */
  clientKey: { privateKey: CryptoKey; kid: string }
  /** Closes the store instance only, as an outage would. */
  closeStores(): Promise<void>
  close(): Promise<void>
}

export interface StartOptions {
  backend?: Backend
  /** Overrides merged into the config (issuer, cache …). */
  config?: Record<string, unknown>
  /** Extension grants handed to createPorticoApp. */
  grantHandlers?: GrantHandler[]
}

export async function startPortico(options: StartOptions = {}): Promise<PorticoUnderTest> {
  const backend = options.backend ?? memoryBackend
  const clock = new TestClock()
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const kid = 'signed-client-key'
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256' }

  const config = parseConfig(
    {
      issuer,
      signing: { algorithms: ['RS256', 'ES256'], accessTokenAlgorithm: 'ES256' },
      seed: seed(publicJwk),
      ...options.config,
    },
    { baseDir: process.cwd() },
  )
  const namespace = backend.namespace()
  const roles: StoreRole[] = [...storeRoles]
  const instance = await backend.plugin.create(namespace.options, { roles, clock, logger: silentLogger })
  await instance.migrate?.()
  const stores = instance as unknown as Stores
  await applySeed(config.seed, stores.configuration, { logger: silentLogger })
  const keyRing = await KeyRing.create({
    store: stores.keys,
    secret: 'e2e-key-secret-0123456789',
    clock,
    algorithms: config.signing.algorithms,
    refreshInterval: 0,
  })
  const app = createPorticoApp({
    config,
    stores,
    instances: [{ plugin: backend.name, roles, instance }],
    keyRing,
    grantHandlers: options.grantHandlers,
    logger: silentLogger,
    clock,
  })
  return {
    app,
    keyRing,
    clock,
    config,
    stores,
    clientKey: { privateKey, kid },
    closeStores: () => instance.close(),
    async close() {
      keyRing.close()
      await instance.close()
      await namespace.dispose()
    },
  }
}

function seed(signedClientJwk: JWK) {
  return {
    apiScopes: [
      { name: 'api1.read' },
      { name: 'api1.write' },
      { name: 'api2' },
      { name: 'hidden', showInDiscoveryDocument: false },
      { name: 'disabled.scope', enabled: false },
      { name: 'orphan' },
    ],
    apiResources: [
      { name: api1, scopes: ['api1.read', 'api1.write', 'hidden'], apiSecrets: [{ value: secrets.api1 }] },
      {
        name: api2,
        scopes: ['api2'],
        apiSecrets: [{ value: secrets.api2 }],
        allowedAccessTokenSigningAlgorithms: ['RS256'],
      },
    ],
    clients: [
      {
        clientId: 'm2m',
        clientSecrets: [{ value: secrets.m2m }],
        allowedGrantTypes: ['client_credentials'],
        allowedScopes: ['api1.read', 'api1.write', 'api2', 'openid', 'disabled.scope', 'orphan'],
        claims: [{ type: 'tier', value: 'gold' }],
      },
      {
        clientId: 'reference',
        clientSecrets: [{ value: secrets.reference }],
        allowedGrantTypes: ['client_credentials'],
        allowedScopes: ['api1.read', 'api2'],
        accessTokenType: 'reference',
        accessTokenLifetime: 600,
      },
      {
        clientId: 'other',
        clientSecrets: [{ value: secrets.other }],
        allowedGrantTypes: ['client_credentials'],
        allowedScopes: ['api1.read'],
        accessTokenType: 'reference',
      },
      {
        clientId: 'spaced id',
        clientSecrets: [{ value: secrets.spaced }],
        allowedGrantTypes: ['client_credentials'],
        allowedScopes: ['api1.read'],
      },
      {
        clientId: 'expired',
        clientSecrets: [{ value: 'expired-secret-0123456789', expiration: Date.now() - 60_000 }],
        allowedGrantTypes: ['client_credentials'],
        allowedScopes: ['api1.read'],
      },
      {
        clientId: 'code-only',
        clientSecrets: [{ value: 'code-only-secret-0123456789' }],
        allowedGrantTypes: ['authorization_code'],
        redirectUris: ['https://app.example.test/cb'],
        allowedScopes: ['openid', 'api1.read'],
      },
      {
        clientId: 'public',
        requireClientSecret: false,
        allowedGrantTypes: ['authorization_code'],
        redirectUris: ['https://app.example.test/cb'],
        allowedScopes: ['openid', 'api1.read'],
      },
      {
        clientId: 'disabled',
        enabled: false,
        clientSecrets: [{ value: 'disabled-secret-0123456789' }],
        allowedGrantTypes: ['client_credentials'],
        allowedScopes: ['api1.read'],
      },
      {
        clientId: 'signed',
        clientSecrets: [{ type: 'JsonWebKey', value: JSON.stringify(signedClientJwk) }],
        allowedGrantTypes: ['client_credentials'],
        allowedScopes: ['api1.read'],
      },
    ],
  }
}
