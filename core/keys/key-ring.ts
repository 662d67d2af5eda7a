/**
 * The key ring: every key a deployment signs, publishes and protects data with, kept
 * encrypted in the keys store so every instance uses the same keys. Keys are imported once
 * and served from memory; a timer refreshes them from the store and performs rotation, and
 * an unknown kid met while unprotecting triggers an immediate (rate-limited) refresh.
 *
 * @example
 * const ring = await KeyRing.create({ store: instance.keys, secret: process.env.PORTICO_KEY_SECRET })
 * const idToken = await ring.sign({ iss, sub, aud }, { alg: 'RS256' })
 * const cookie = await ring.protect('session', { sid }, 3600)
 * const session = await ring.unprotect<{ sid: string }>('session', cookie)
 */
import {
  base64url,
  CompactSign,
  createLocalJWKSet,
  decodeProtectedHeader,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
  type JWTVerifyOptions,
  type JWTVerifyResult,
  jwtVerify,
} from 'jose'
import type { KeyRecord } from '../models/key.ts'
import { isStoreUnavailable } from '../stores/errors.ts'
import { AtRestCipher } from './at-rest.ts'
import { DataProtectionKey, generateDataProtectionJwk } from './data-protection.ts'
import { KeyDecryptionError, KeyRingError } from './errors.ts'
import type { JsonWebKeySet } from './jwks.ts'
import { logSigningKeyChanges } from './key-changes.ts'
import {
  commitFamily,
  type FamilyState,
  type FamilyUse,
  type KeyFamily,
  readFamilyState,
} from './key-families.ts'
import { activeKey, byActivation, type KeyStatus, phases, plan } from './lifecycle.ts'
import { type KeyRingOptions, type KeyRingSettings, resolveKeyRingOptions } from './options.ts'
import {
  generateSigningJwk,
  type ImportedSigningKey,
  importSigningJwk,
  isSigningAlgorithm,
  type SigningAlgorithm,
} from './signing-keys.ts'

const utf8 = new TextEncoder()

/** The algorithm of data-protection keys. */
export const DATA_PROTECTION_ALGORITHM = 'A256GCM'
/** Rounds of read-and-write before giving up when other instances keep changing the store. */
const MAX_ATTEMPTS = 8
/** A key record no family lists and older than this was left by a lost race or a crash. */
const ORPHAN_GRACE = 10 * 60 * 1000

export interface SigningKey {
  kid: string
  alg: SigningAlgorithm
  privateKey: CryptoKey
}

/** One key as `keys list` shows it. */
export interface KeyInfo {
  kid: string
  use: FamilyUse
  alg: string
  status: KeyStatus
  createdAt: number
  activatesAt: number
  retiresAt: number
  deletesAt: number
}

export interface RotateOptions {
  /** Default: every signing algorithm. */
  use?: FamilyUse
  /** Only this algorithm's family. */
  alg?: string
  /** Skip the propagation time (emergency: clients may not know the key yet). */
  activateNow?: boolean
}

interface LoadedBase {
  kid: string
  createdAt: number
  activatesAt: number
  /** The record data it was decrypted from; records are immutable, so equal data means a cache hit. */
  data: string
}
type LoadedKey =
  | (LoadedBase & { use: 'signing'; alg: SigningAlgorithm; signing: ImportedSigningKey })
  | (LoadedBase & { use: 'data-protection'; alg: string; protection: DataProtectionKey })

interface FamilyView {
  family: KeyFamily
  state: FamilyState | undefined
  /** In activation order. */
  keys: LoadedKey[]
}

interface Snapshot {
  records: KeyRecord[]
  families: FamilyView[]
}

/** What the key ring seals into a record's `data`. */
interface SealedKey {
  use: FamilyUse
  alg: string
  activatesAt: number
  jwk: JWK
}

export class KeyRing {
  private readonly families: KeyFamily[]
  private view: FamilyView[] = []
  private readonly loaded = new Map<string, LoadedKey>()
  private inflight: Promise<void> | undefined
  private timer: ReturnType<typeof setInterval> | undefined
  private lastUnknownKidRefresh = Number.NEGATIVE_INFINITY
  private localJwks: { kids: string; set: ReturnType<typeof createLocalJWKSet> } | undefined

  private constructor(
    private readonly settings: KeyRingSettings,
    private readonly cipher: AtRestCipher,
  ) {
    this.families = [
      ...settings.algorithms.map((alg): KeyFamily => ({ use: 'signing', alg, lifetimes: settings.signing })),
      { use: 'data-protection', alg: DATA_PROTECTION_ALGORITHM, lifetimes: settings.dataProtection },
    ]
  }

  /**
   * Loads (creating on an empty store) every configured key. Rejects with
   * `KeyDecryptionError` naming the kid when the secret does not match the store.
   */
  static async create(options: KeyRingOptions): Promise<KeyRing> {
    const ring = new KeyRing(resolveKeyRingOptions(options), await AtRestCipher.fromSecret(options.secret))
    await ring.refresh()
    ring.startTimer()
    return ring
  }

  /** The signing algorithms, the default first. */
  get algorithms(): readonly SigningAlgorithm[] {
    return this.settings.algorithms
  }

  /** The active key for `alg` (default: the first configured). No store I/O when warm. */
  async signingKey(alg: SigningAlgorithm = this.settings.algorithms[0]!): Promise<SigningKey> {
    if (!this.settings.algorithms.includes(alg)) {
      throw new KeyRingError(`signing algorithm "${alg}" is not configured (signing.algorithms)`)
    }
    let key = this.current('signing', alg)
    if (!key) {
      await this.refresh()
      key = this.current('signing', alg)
    }
    if (key?.use !== 'signing') throw new KeyRingError(`no active ${alg} signing key`)
    return { kid: key.kid, alg: key.alg, privateKey: key.signing.privateKey }
  }

  /** A compact JWS of `payload` with the active key's `kid` in its header (RFC 7515 §4.1.4). */
  async sign(payload: JWTPayload, options: { alg?: SigningAlgorithm; typ?: string } = {}): Promise<string> {
    const key = await this.signingKey(options.alg)
    const header: JWTHeaderParameters = { alg: key.alg, kid: key.kid }
    if (options.typ) header.typ = options.typ
    // RFC 7519 §7.1: a JWT is the JWS of its claims' JSON. Signed as such directly, because
    // jose's SignJWT first deep-copies the claims (structuredClone), ~5 µs per token.
    return new CompactSign(utf8.encode(JSON.stringify(payload)))
      .setProtectedHeader(header)
      .sign(key.privateKey)
  }

  /** The published keys: announced, active and retired public keys (RFC 7517 §5). */
  async jwks(): Promise<JsonWebKeySet> {
    return { keys: this.published().map((key) => ({ ...key.signing.publicJwk })) }
  }

  /** Verifies a JWT signed by this deployment, against the published keys only. */
  async verify(token: string, options: JWTVerifyOptions = {}): Promise<JWTVerifyResult> {
    const kid = headerKid(token)
    if (kid !== undefined && !this.published().some((key) => key.kid === kid))
      await this.refreshForUnknownKid()
    const published = this.published()
    const kids = published.map((key) => key.kid).join(' ')
    if (this.localJwks?.kids !== kids) {
      this.localJwks = {
        kids,
        set: createLocalJWKSet({ keys: published.map((key) => key.signing.publicJwk) }),
      }
    }
    return jwtVerify(token, this.localJwks.set, {
      algorithms: [...this.settings.algorithms],
      currentDate: new Date(this.settings.clock.now()),
      ...options,
    })
  }

  /** Encrypts `payload` for `purpose`, readable by any instance for `ttlSeconds`. */
  async protect(purpose: string, payload: unknown, ttlSeconds: number): Promise<string> {
    const ttl = ttlSeconds * 1000
    if (!(ttl > 0)) throw new RangeError('protect: ttlSeconds must be positive')
    // A value must stay readable for its whole life after its key retires.
    if (ttl > this.settings.dataProtection.retentionDuration) {
      throw new RangeError('protect: ttlSeconds exceeds the data-protection retentionDuration')
    }
    let key = this.current('data-protection', DATA_PROTECTION_ALGORITHM)
    if (!key) {
      await this.refresh()
      key = this.current('data-protection', DATA_PROTECTION_ALGORITHM)
    }
    if (key?.use !== 'data-protection') throw new KeyRingError('no active data-protection key')
    return key.protection.protect(purpose, payload, this.settings.clock.now() + ttl)
  }

  /** The payload protected for `purpose`; undefined when altered, for another purpose, expired or revoked. */
  async unprotect<T>(purpose: string, token: string): Promise<T | undefined> {
    const kid = headerKid(token)
    if (kid === undefined) return undefined
    let key = this.acceptedProtectionKey(kid)
    if (!key && !this.loaded.has(kid)) {
      // Another instance may have just rotated: look again before refusing.
      await this.refreshForUnknownKid()
      key = this.acceptedProtectionKey(kid)
    }
    if (!key) return undefined
    return (await key.protection.unprotect(purpose, token, this.settings.clock.now())) as T | undefined
  }

  /** Every key with its lifecycle dates, read fresh from the store. */
  async list(): Promise<KeyInfo[]> {
    await this.refresh()
    const now = this.settings.clock.now()
    return this.view.flatMap(({ family, keys }) =>
      phases(keys, now, family.lifetimes).map((phase) => ({
        kid: phase.kid,
        use: family.use,
        alg: family.alg,
        status: phase.status,
        createdAt: keys.find((key) => key.kid === phase.kid)!.createdAt,
        activatesAt: phase.activatesAt,
        retiresAt: phase.retiresAt,
        deletesAt: phase.deletesAt,
      })),
    )
  }

  /** Creates a key per matching family, announced (or active at once). Returns the new kids. */
  async rotate(options: RotateOptions = {}): Promise<string[]> {
    const use = options.use ?? 'signing'
    const families = this.families.filter(
      (f) => f.use === use && (options.alg === undefined || f.alg === options.alg),
    )
    if (families.length === 0) throw new KeyRingError(`no ${use} keys for algorithm "${options.alg}"`)
    const created: string[] = []
    for (const family of families) {
      for (let attempt = 0; ; attempt++) {
        if (attempt === MAX_ATTEMPTS) throw new KeyRingError(`could not rotate ${use}:${family.alg}`)
        const records = await this.settings.store.list()
        const now = this.settings.clock.now()
        const activatesAt = options.activateNow ? now : now + family.lifetimes.propagationTime
        const add = await this.newKeyRecord(family, activatesAt, now)
        if (
          await commitFamily(
            this.settings.store,
            family,
            readFamilyState(records, family),
            { add, remove: [] },
            now,
          )
        ) {
          this.settings.logger.info('keys.rotated', { kid: add.id, use, alg: family.alg, activatesAt })
          this.settings.metrics.keyCreated(use, family.alg)
          created.push(add.id)
          break
        }
      }
    }
    await this.refresh()
    return created
  }

  /**
   * Removes the key from the store: it leaves the JWKS and is refused by every instance
   * within the refresh interval. A revoked active key is replaced by a new, active one.
   * False when no such key exists.
   */
  async revoke(kid: string): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const records = await this.settings.store.list()
      const record = records.find((r) => r.id === kid && r.use !== 'state')
      if (!record) return false
      const family = this.families.find((f) => f.use === record.use && f.alg === record.algorithm) ?? {
        use: record.use as FamilyUse,
        alg: record.algorithm,
        lifetimes: this.settings.signing,
      }
      const state = readFamilyState(records, family)
      const won = state?.kids.includes(kid)
        ? await commitFamily(this.settings.store, family, state, { remove: [kid] }, this.settings.clock.now())
        : await this.settings.store.remove(kid)
      if (won) {
        this.settings.logger.warn('keys.revoked', { kid, use: family.use, alg: family.alg })
        await this.refresh()
        return true
      }
    }
    throw new KeyRingError(`could not revoke key "${kid}"`)
  }

  /**
   * Reloads keys from the store and performs due rotation and deletion. Concurrent calls
   * share one reload.
   */
  refresh(): Promise<void> {
    const { metrics } = this.settings
    this.inflight ??= this.reload()
      .then(
        () => metrics.keyRingRefreshed('success'),
        (error: unknown) => {
          metrics.keyRingRefreshed('failure')
          throw error
        },
      )
      .finally(() => {
        this.inflight = undefined
      })
    return this.inflight
  }

  /** Stops the refresh timer. The ring keeps answering from its cache. */
  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  private startTimer(): void {
    if (this.settings.refreshInterval <= 0) return
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logRefreshFailure(error))
    }, this.settings.refreshInterval)
    this.timer.unref?.()
  }

  private logRefreshFailure(error: unknown): void {
    this.settings.logger.error('keys.refresh_failed', {
      error: error instanceof Error ? error.message : String(error),
      ...(error instanceof KeyDecryptionError ? { kid: error.kid } : {}),
    })
  }

  private async refreshForUnknownKid(): Promise<void> {
    const now = performance.now()
    if (!this.inflight && now - this.lastUnknownKidRefresh < this.settings.unknownKidRefreshGap) return
    this.lastUnknownKidRefresh = now
    try {
      await this.refresh()
    } catch (error) {
      // An outage is the server's 503; anything else only means this value cannot be read.
      if (isStoreUnavailable(error)) throw error
      this.logRefreshFailure(error)
    }
  }

  private async reload(): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const snapshot = await this.read()
      if (!(await this.maintain(snapshot))) {
        logSigningKeyChanges(this.settings.logger, this.view, snapshot.families)
        this.view = snapshot.families
        for (const kid of this.loaded.keys()) {
          if (!snapshot.records.some((record) => record.id === kid)) this.loaded.delete(kid)
        }
        return
      }
    }
    throw new KeyRingError('the keys store kept changing; gave up settling the key ring')
  }

  private async read(): Promise<Snapshot> {
    const records = await this.settings.store.list()
    const families = await Promise.all(
      this.families.map(async (family): Promise<FamilyView> => {
        const state = readFamilyState(records, family)
        // In the state's order (the order commits won), which breaks ties in activation time.
        const members = (state?.kids ?? []).flatMap((kid) => {
          const record = records.find(
            (r) => r.id === kid && r.use === family.use && r.algorithm === family.alg,
          )
          return record ? [record] : []
        })
        return { family, state, keys: byActivation(await Promise.all(members.map((r) => this.load(r)))) }
      }),
    )
    return { records, families }
  }

  /** Writes what is due; true when anything was written (or a race lost), so the caller reads again. */
  private async maintain(snapshot: Snapshot): Promise<boolean> {
    const { store, clock, logger } = this.settings
    const now = clock.now()
    let wrote = false
    for (const { family, state, keys } of snapshot.families) {
      const due = plan(keys, now, family.lifetimes)
      if (!due.create && due.expired.length === 0) continue
      const add = due.create ? await this.newKeyRecord(family, due.create.activatesAt, now) : undefined
      if (await commitFamily(store, family, state, { add, remove: due.expired }, now)) {
        if (add) {
          logger.info('keys.created', { kid: add.id, use: family.use, alg: family.alg })
          this.settings.metrics.keyCreated(family.use, family.alg)
        }
        for (const kid of due.expired) logger.info('keys.deleted', { kid, use: family.use, alg: family.alg })
      }
      wrote = true
    }
    for (const record of snapshot.records) {
      if (record.use === 'state' || record.createdAt + ORPHAN_GRACE > now) continue
      const listed = readFamilyState(snapshot.records, {
        use: record.use,
        alg: record.algorithm,
        lifetimes: this.settings.signing,
      })?.kids.includes(record.id)
      if (!listed && (await store.remove(record.id))) logger.info('keys.orphan_removed', { kid: record.id })
    }
    return wrote
  }

  private async newKeyRecord(family: KeyFamily, activatesAt: number, now: number): Promise<KeyRecord> {
    const kid = newKid()
    const jwk =
      family.use === 'signing' && isSigningAlgorithm(family.alg)
        ? await generateSigningJwk(family.alg)
        : generateDataProtectionJwk()
    const sealed: SealedKey = { use: family.use, alg: family.alg, activatesAt, jwk }
    return {
      id: kid,
      use: family.use,
      algorithm: family.alg,
      createdAt: now,
      data: await this.cipher.seal(kid, sealed),
      version: 1,
    }
  }

  /** Decrypts and imports a key record once; later reads of the same data hit the cache. */
  private async load(record: KeyRecord): Promise<LoadedKey> {
    const cached = this.loaded.get(record.id)
    if (cached?.data === record.data) return cached
    const sealed = (await this.cipher.open(record.id, record.data)) as Partial<SealedKey>
    // The sealed use/alg are authenticated; the record's plain fields must agree with them.
    if (
      sealed.use !== record.use ||
      sealed.alg !== record.algorithm ||
      typeof sealed.activatesAt !== 'number'
    ) {
      throw new KeyDecryptionError(record.id)
    }
    const base = {
      kid: record.id,
      createdAt: record.createdAt,
      activatesAt: sealed.activatesAt,
      data: record.data,
    }
    let key: LoadedKey
    try {
      key =
        sealed.use === 'signing' && isSigningAlgorithm(sealed.alg)
          ? {
              ...base,
              use: 'signing',
              alg: sealed.alg,
              signing: await importSigningJwk(record.id, sealed.alg, sealed.jwk!),
            }
          : {
              ...base,
              use: 'data-protection',
              alg: record.algorithm,
              protection: await DataProtectionKey.import(record.id, sealed.jwk!),
            }
    } catch (cause) {
      throw new KeyDecryptionError(record.id, { cause })
    }
    this.loaded.set(record.id, key)
    return key
  }

  private familyView(use: FamilyUse, alg: string): FamilyView | undefined {
    return this.view.find((v) => v.family.use === use && v.family.alg === alg)
  }

  private current(use: FamilyUse, alg: string): LoadedKey | undefined {
    const view = this.familyView(use, alg)
    return view && activeKey(view.keys, this.settings.clock.now())
  }

  private published(): Extract<LoadedKey, { use: 'signing' }>[] {
    const now = this.settings.clock.now()
    return this.view.flatMap(({ family, keys }) => {
      if (family.use !== 'signing') return []
      const live = new Set(
        phases(keys, now, family.lifetimes)
          .filter((p) => p.status !== 'expired')
          .map((p) => p.kid),
      )
      return keys.filter(
        (key): key is Extract<LoadedKey, { use: 'signing' }> => key.use === 'signing' && live.has(key.kid),
      )
    })
  }

  private acceptedProtectionKey(kid: string): Extract<LoadedKey, { use: 'data-protection' }> | undefined {
    const view = this.familyView('data-protection', DATA_PROTECTION_ALGORITHM)
    if (!view) return undefined
    const phase = phases(view.keys, this.settings.clock.now(), view.family.lifetimes).find(
      (p) => p.kid === kid,
    )
    if (!phase || phase.status === 'expired') return undefined
    const key = view.keys.find((k) => k.kid === kid)
    return key?.use === 'data-protection' ? key : undefined
  }
}

function headerKid(token: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(token)
    return typeof kid === 'string' ? kid : undefined
  } catch {
    return undefined
  }
}

/**
 * 128 random bits, base64url. Never starting with `-`: operators pass kids as command-line
 * arguments (`portico keys revoke <kid>`), where a leading dash reads as an option.
 */
function newKid(): string {
  for (;;) {
    const kid = base64url.encode(crypto.getRandomValues(new Uint8Array(16)))
    if (!kid.startsWith('-')) return kid
  }
}
