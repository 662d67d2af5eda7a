/** The key ring's options, normalised once at construction. Durations are in seconds. */
import { type Clock, systemClock } from '../clock.ts'
import { type Logger, silentLogger } from '../logger.ts'
import { type Metrics, noMetrics } from '../metrics.ts'
import type { KeyStore } from '../stores/keys.ts'
import { defaultLifetimes, type KeyLifetimes } from './lifecycle.ts'
import { isSigningAlgorithm, type SigningAlgorithm } from './signing-keys.ts'

export interface KeyLifetimeOptions {
  /** Seconds a new key is announced before use (default 14 days). */
  propagationTime?: number
  /** Seconds a key is active (default 90 days). */
  rotationInterval?: number
  /** Seconds a retired key stays published/accepted (signing: 14 days, data protection: 90 days). */
  retentionDuration?: number
}

export interface KeyRingOptions {
  store: KeyStore
  /** `PORTICO_KEY_SECRET`: encrypts every key at rest. */
  secret: string
  clock?: Clock
  logger?: Logger
  /** Counts refreshes and created keys (default: not counted). */
  metrics?: Metrics
  /** Signing algorithms (`signing.algorithms`); the first is the default. Default RS256, ES256. */
  algorithms?: readonly SigningAlgorithm[]
  signing?: KeyLifetimeOptions
  dataProtection?: KeyLifetimeOptions
  /** Seconds: the longest lifetime of any signed token; signing-key retention never ends sooner. */
  longestTokenLifetime?: number
  /** Seconds between cache refreshes (default 60); 0 disables the timer. */
  refreshInterval?: number
  /** Milliseconds: at most one store read per this gap for unknown kids (default 1000). */
  unknownKidRefreshGap?: number
}

export interface KeyRingSettings {
  store: KeyStore
  clock: Clock
  logger: Logger
  metrics: Metrics
  algorithms: readonly SigningAlgorithm[]
  signing: KeyLifetimes
  dataProtection: KeyLifetimes
  refreshInterval: number
  unknownKidRefreshGap: number
}

const SECOND = 1000
const DAY = 24 * 60 * 60 * SECOND

export function resolveKeyRingOptions(options: KeyRingOptions): KeyRingSettings {
  const logger = options.logger ?? silentLogger
  const algorithms: SigningAlgorithm[] = []
  for (const alg of new Set<unknown>(options.algorithms ?? ['RS256', 'ES256'])) {
    if (!isSigningAlgorithm(alg)) throw new TypeError(`signing algorithm "${String(alg)}" is not supported`)
    algorithms.push(alg)
  }
  if (algorithms.length === 0) throw new TypeError('signing.algorithms must name at least one algorithm')
  const signing = lifetimes('signing', options.signing, defaultLifetimes)
  const longest = (options.longestTokenLifetime ?? 0) * SECOND
  if (signing.retentionDuration < longest) {
    // A token must stay verifiable for its whole lifetime after its key retires.
    logger.warn('keys.retention_raised', { retentionSeconds: longest / SECOND })
    signing.retentionDuration = longest
  }
  return {
    store: options.store,
    clock: options.clock ?? systemClock,
    logger,
    metrics: options.metrics ?? noMetrics,
    algorithms,
    signing,
    dataProtection: lifetimes('dataProtection', options.dataProtection, {
      ...defaultLifetimes,
      retentionDuration: 90 * DAY,
    }),
    refreshInterval: (options.refreshInterval ?? 60) * SECOND,
    unknownKidRefreshGap: options.unknownKidRefreshGap ?? 1000,
  }
}

function lifetimes(
  name: string,
  given: KeyLifetimeOptions | undefined,
  defaults: KeyLifetimes,
): KeyLifetimes {
  const ms = (value: number | undefined, fallback: number) =>
    value === undefined ? fallback : value * SECOND
  const rotationInterval = ms(given?.rotationInterval, defaults.rotationInterval)
  const out: KeyLifetimes = {
    // Unless given, a short rotation interval shortens the propagation time with it.
    propagationTime: ms(given?.propagationTime, Math.min(defaults.propagationTime, rotationInterval / 2)),
    rotationInterval,
    retentionDuration: ms(given?.retentionDuration, defaults.retentionDuration),
  }
  for (const [field, value] of Object.entries(out)) {
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`${name}.${field} must be a non-negative number`)
  }
  if (out.propagationTime >= out.rotationInterval) {
    throw new RangeError(`${name}.propagationTime must be shorter than ${name}.rotationInterval`)
  }
  return out
}
