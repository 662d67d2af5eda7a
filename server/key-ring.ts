/**
 * Starting the key ring for a server or CLI process: settle the at-rest secret, then create
 * the ring over the keys store with the configured lifetimes.
 *
 * The secret comes from PORTICO_KEY_SECRET (`keySecret` in the config). In production
 * (`NODE_ENV=production`) a persistent keys store without it is refused: keys written under
 * an accidental secret would be unreadable by the other instances. In development a secret
 * is generated once into the data directory, with a warning.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Clock } from '../core/clock.ts'
import { AtRestCipher, KeyRing } from '../core/keys/index.ts'
import type { Logger } from '../core/logger.ts'
import type { Metrics } from '../core/metrics.ts'
import { clientDefaults } from '../core/models/client.ts'
import type { KeyStore } from '../core/stores/keys.ts'
import type { PorticoConfig } from './config/resolve.ts'
import { keySecretRule } from './key-secret.ts'

/** What the key ring reads from the server config. */
export type KeyRingConfig = Pick<
  PorticoConfig,
  'keySecret' | 'signing' | 'dataProtection' | 'dataDir' | 'baseDir'
> & {
  stores: Pick<PorticoConfig['stores'], 'keys'>
  seed?: Pick<PorticoConfig['seed'], 'clients'>
}

export interface StartKeyRingOptions {
  logger: Logger
  clock: Clock
  /** Where a development secret is kept; default: the config's `dataDir`. */
  dataDir?: string
  /** Default: `NODE_ENV === 'production'`. */
  production?: boolean
  /** Seconds between refreshes from the store (default 60). */
  refreshInterval?: number
  env?: Record<string, string | undefined>
  /** The secret, already resolved (and checked) with `resolveKeySecret`. */
  secret?: string
  /** Counts refreshes and created keys (`metrics.enabled`). */
  metrics?: Metrics
}

/** The file, inside the data directory, that holds a generated development secret. */
export const DEV_SECRET_FILE = 'key-secret'

export class KeySecretMissingError extends Error {
  readonly code = 'ERR_KEY_SECRET_MISSING'
  override name = 'KeySecretMissingError'
}

export async function startKeyRing(
  config: KeyRingConfig,
  keys: KeyStore,
  options: StartKeyRingOptions,
): Promise<KeyRing> {
  const secret = options.secret ?? (await resolveKeySecret(config, options))
  return KeyRing.create({
    store: keys,
    secret,
    clock: options.clock,
    logger: options.logger,
    algorithms: config.signing.algorithms,
    signing: {
      propagationTime: config.signing.propagationTime,
      rotationInterval: config.signing.rotationInterval,
      retentionDuration: config.signing.retentionDuration,
    },
    dataProtection: {
      rotationInterval: config.dataProtection.rotationInterval,
      retentionDuration: config.dataProtection.retentionDuration,
    },
    longestTokenLifetime: longestTokenLifetime(config),
    refreshInterval: options.refreshInterval,
    metrics: options.metrics,
  })
}

/** Seconds: the longest lifetime of a token signed for the seeded clients (or by default). */
function longestTokenLifetime(config: KeyRingConfig): number {
  const lifetimes = [clientDefaults.accessTokenLifetime, clientDefaults.identityTokenLifetime]
  for (const client of config.seed?.clients ?? []) {
    lifetimes.push(client.accessTokenLifetime ?? 0, client.identityTokenLifetime ?? 0)
  }
  return Math.max(...lifetimes)
}

export async function resolveKeySecret(config: KeyRingConfig, options: StartKeyRingOptions): Promise<string> {
  const env = options.env ?? process.env
  const given = config.keySecret || env.PORTICO_KEY_SECRET
  if (given) return given
  const plugin = config.stores.keys.plugin
  if (plugin === 'memory') {
    // Keys in memory die with the process, so a per-process secret protects them fully.
    return randomBytes(32).toString('base64url')
  }
  const production = options.production ?? env.NODE_ENV === 'production'
  if (production) {
    throw new KeySecretMissingError(
      `PORTICO_KEY_SECRET is required in production: the keys store (${plugin}) is persistent and shared, so every instance must encrypt key material with the same secret (it ${keySecretRule})`,
    )
  }
  const dir = options.dataDir ?? resolve(config.baseDir, config.dataDir)
  return developmentSecret(dir, options.logger)
}

/**
 * Refuses a secret that cannot decrypt the key material already in the store, before anything
 * is written there (no migration, no seed, no new key under a second secret). A store whose
 * keys cannot be listed yet (its schema not migrated) holds none to check against.
 */
export async function checkKeySecret(keys: KeyStore, secret: string): Promise<void> {
  // State records (kids and times) are not encrypted; key records are.
  const record = (await keys.list().catch(() => [])).find((r) => r.use !== 'state')
  if (record) await (await AtRestCipher.fromSecret(secret)).open(record.id, record.data)
}

/** Reads the development secret, generating it on first use (mode 0600). */
async function developmentSecret(dir: string, logger: Logger): Promise<string> {
  const path = join(dir, DEV_SECRET_FILE)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const generated = randomBytes(32).toString('base64url')
  try {
    // `wx`: two processes starting at once on a fresh directory keep the first one's secret.
    await writeFile(path, `${generated}\n`, { mode: 0o600, flag: 'wx' })
    logger.warn('keys.secret_generated', {
      path,
      hint: 'development only: set PORTICO_KEY_SECRET for shared or production deployments',
    })
    return generated
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const secret = (await readFile(path, 'utf8')).trim()
  if (!secret) throw new KeySecretMissingError(`the development key secret file ${path} is empty`)
  logger.warn('keys.secret_from_file', {
    path,
    hint: 'development only: set PORTICO_KEY_SECRET for shared or production deployments',
  })
  return secret
}
