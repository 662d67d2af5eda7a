/**
 * Client and resource lookups cached in memory for a short TTL (config `cache.ttlSeconds`),
 * so a warm token request makes no configuration-store round trip. A change made through
 * the store reaches every instance within the TTL; `ttlSeconds: 0` turns caching off.
 */
import type { Clock } from '../clock.ts'
import type { Client } from '../models/client.ts'
import type { ApiResource, ApiScope, IdentityResource, Resources } from '../models/resources.ts'
import type { ClientStore, ResourceStore } from '../stores/configuration.ts'

export interface ConfigurationCacheOptions {
  /** Seconds a lookup is reused (default 60). */
  ttlSeconds?: number
  /** Entries kept per kind of lookup; the oldest go first (default 10 000). */
  maxEntries?: number
  clock: Clock
}

export const defaultCacheTtlSeconds = 60

interface Entry<V> {
  expiresAt: number
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
    const now = this.clock.now()
    const hit = this.entries.get(key)
    if (hit && hit.expiresAt > now) return hit.value
    if (hit) this.entries.delete(key)
    const value = load()
    const entry = { expiresAt: now + this.ttlMs, value }
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
  return [...new Set(names)].sort().join(' ')
}

export class ConfigurationCache {
  private readonly clientCache: TtlCache<Client | undefined>
  private readonly apiScopeCache: TtlCache<ApiScope[]>
  private readonly identityCache: TtlCache<IdentityResource[]>
  private readonly resourceByScopeCache: TtlCache<ApiResource[]>
  private readonly resourceByNameCache: TtlCache<ApiResource[]>
  private readonly allCache: TtlCache<Resources>

  constructor(
    private readonly stores: { clients: ClientStore; resources: ResourceStore },
    options: ConfigurationCacheOptions,
  ) {
    const ttlMs = (options.ttlSeconds ?? defaultCacheTtlSeconds) * 1000
    const max = options.maxEntries ?? 10_000
    this.clientCache = new TtlCache(ttlMs, max, options.clock)
    this.apiScopeCache = new TtlCache(ttlMs, max, options.clock)
    this.identityCache = new TtlCache(ttlMs, max, options.clock)
    this.resourceByScopeCache = new TtlCache(ttlMs, max, options.clock)
    this.resourceByNameCache = new TtlCache(ttlMs, max, options.clock)
    this.allCache = new TtlCache(ttlMs, 1, options.clock)
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

  /** Forgets everything, e.g. after the CLI changed a client in this process. */
  clear(): void {
    for (const cache of [
      this.clientCache,
      this.apiScopeCache,
      this.identityCache,
      this.resourceByScopeCache,
      this.resourceByNameCache,
      this.allCache,
    ]) {
      cache.clear()
    }
  }
}
