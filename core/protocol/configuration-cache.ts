/**
 * Client and resource lookups cached in memory for a short TTL (config `cache.ttlSeconds`),
 * so a warm token request makes no configuration-store round trip. A change made through
 * the store reaches every instance within the TTL; `ttlSeconds: 0` turns caching off.
 *
 * Entries live in TTL-long epochs of the clock (`floor(now / ttl)`): everything read in one
 * epoch is dropped together when the next begins. So a value derived from several lookups
 * (a client's validated scopes) is never older than the TTL either.
 */
import type { Clock } from '../clock.ts'
import type { Client } from '../models/client.ts'
import type { ApiResource, ApiScope, IdentityResource, Resources } from '../models/resources.ts'
import type { ClientStore, ResourceStore } from '../stores/configuration.ts'
import { type GrantedResources, type ScopeValidationOptions, validateScopes } from './scopes.ts'

export interface ConfigurationCacheOptions {
  /** Seconds a lookup is reused (default 60). */
  ttlSeconds?: number
  /** Entries kept per kind of lookup; the oldest go first (default 10 000). */
  maxEntries?: number
  clock: Clock
}

export const defaultCacheTtlSeconds = 60

interface Entry<V> {
  epoch: number
  value: Promise<V>
}

/** A TTL map of in-flight or settled lookups: concurrent misses share one store call. */
class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>()

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly clock: Clock,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) return load()
    const epoch = Math.floor(this.clock.now() / this.ttlMs)
    const hit = this.entries.get(key)
    if (hit?.epoch === epoch) return hit.value
    if (hit) this.entries.delete(key)
    const value = load()
    const entry = { epoch, value }
    this.entries.set(key, entry)
    // A failed lookup (store down) is never remembered.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key)
    })
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
    return value
  }

  clear(): void {
    this.entries.clear()
  }
}

/** A cache key for a set of names: order and repetition do not matter. */
function namesKey(names: readonly string[]): string {
  if (names.length === 1) return names[0]!
  return [...new Set(names)].sort().join(' ')
}

export class ConfigurationCache {
  private readonly ttlMs: number
  private readonly clock: Clock
  /** Values derived per client object (validated scopes …): a reloaded client starts afresh. */
  private readonly derived = new WeakMap<Client, TtlCache<unknown>>()
  private readonly clientCache: TtlCache<Client | undefined>
  private readonly apiScopeCache: TtlCache<ApiScope[]>
  private readonly identityCache: TtlCache<IdentityResource[]>
  private readonly resourceByScopeCache: TtlCache<ApiResource[]>
  private readonly resourceByNameCache: TtlCache<ApiResource[]>
  private readonly allCache: TtlCache<Resources>
  private readonly corsOriginCache: TtlCache<ReadonlySet<string>>

  constructor(
    private readonly stores: { clients: ClientStore; resources: ResourceStore },
    options: ConfigurationCacheOptions,
  ) {
    const ttlMs = (options.ttlSeconds ?? defaultCacheTtlSeconds) * 1000
    this.ttlMs = ttlMs
    this.clock = options.clock
    const max = options.maxEntries ?? 10_000
    this.clientCache = new TtlCache(ttlMs, max, options.clock)
    this.apiScopeCache = new TtlCache(ttlMs, max, options.clock)
    this.identityCache = new TtlCache(ttlMs, max, options.clock)
    this.resourceByScopeCache = new TtlCache(ttlMs, max, options.clock)
    this.resourceByNameCache = new TtlCache(ttlMs, max, options.clock)
    this.allCache = new TtlCache(ttlMs, 1, options.clock)
    this.corsOriginCache = new TtlCache(ttlMs, 1, options.clock)
  }

  findClient(clientId: string): Promise<Client | undefined> {
    return this.clientCache.get(clientId, () => this.stores.clients.findClientById(clientId))
  }

  findApiScopes(names: readonly string[]): Promise<ApiScope[]> {
    return this.apiScopeCache.get(namesKey(names), () => this.stores.resources.findApiScopesByName(names))
  }

  findIdentityResources(names: readonly string[]): Promise<IdentityResource[]> {
    return this.identityCache.get(namesKey(names), () =>
      this.stores.resources.findIdentityResourcesByScopeName(names),
    )
  }

  findApiResourcesByScope(scopeNames: readonly string[]): Promise<ApiResource[]> {
    return this.resourceByScopeCache.get(namesKey(scopeNames), () =>
      this.stores.resources.findApiResourcesByScopeName(scopeNames),
    )
  }

  findApiResourcesByName(names: readonly string[]): Promise<ApiResource[]> {
    return this.resourceByNameCache.get(namesKey(names), () =>
      this.stores.resources.findApiResourcesByName(names),
    )
  }

  getAllResources(): Promise<Resources> {
    return this.allCache.get('', () => this.stores.resources.getAllResources())
  }

  /**
   * The origins some enabled client lists in `allowedCorsOrigins`, read from the client list once
   * per TTL, so a CORS check costs a Set lookup and no store call. Only exact origins
   * (`scheme://host[:port]`, RFC 6454 §6.2) count; an entry with a path never matches.
   */
  allowedCorsOrigins(): Promise<ReadonlySet<string>> {
    return this.corsOriginCache.get('', async () => {
      const origins = new Set<string>()
      for (const client of await this.stores.clients.list()) {
        if (!client.enabled) continue
        for (const entry of client.allowedCorsOrigins) {
          const origin = URL.parse(entry)?.origin
          if (origin && origin !== 'null' && origin === entry.replace(/\/$/, '').toLowerCase())
            origins.add(origin)
        }
      }
      return origins
    })
  }

  /**
   * `validateScopes` for this client, remembered within the epoch: the hot path of a warm
   * client_credentials request then allocates almost nothing for scopes.
   */
  validateScopes(
    client: Client,
    requested: readonly string[] | undefined,
    options: ScopeValidationOptions,
  ): Promise<GrantedResources> {
    const key = `scopes ${options.identityScopes ? 1 : 0}${requested ? ` ${requested.join(' ')}` : ''}`
    return this.perClient(client, key, () => validateScopes(this, client, requested, options))
  }

  /**
   * A value computed from this client and cached configuration, remembered for the client
   * object within the epoch (so never older than the TTL). Failures are not remembered.
   */
  perClient<T>(client: Client, key: string, compute: () => Promise<T>): Promise<T> {
    let cache = this.derived.get(client)
    if (!cache) {
      // A client asks for few distinct combinations; the bound only stops abuse.
      cache = new TtlCache(this.ttlMs, 64, this.clock)
      this.derived.set(client, cache)
    }
    return cache.get(key, compute) as Promise<T>
  }

  /** Forgets everything, e.g. after the CLI changed a client in this process. */
  clear(): void {
    for (const cache of [
      this.clientCache,
      this.apiScopeCache,
      this.identityCache,
      this.resourceByScopeCache,
      this.resourceByNameCache,
      this.allCache,
      this.corsOriginCache,
    ]) {
      cache.clear()
    }
  }
}
