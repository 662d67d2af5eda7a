/**
 * The configuration role: what operators define (clients, resources, users).
 * Read-mostly; Portico caches reads with a short TTL on the hot path.
 */
import type { Client } from '../models/client.ts'
import type { ApiResource, ApiScope, IdentityResource, Resources } from '../models/resources.ts'
import type { User, UserLockout } from '../models/user.ts'

export interface ClientStore {
  /** The client, or undefined when unknown. Disabled clients are returned; core checks `enabled`. */
  findClientById(clientId: string): Promise<Client | undefined>
  /** Every client, ordered by clientId. */
  list(): Promise<Client[]>
  /** Creates or replaces the client with this clientId. */
  upsert(client: Client): Promise<void>
  /** True when a client was removed. */
  remove(clientId: string): Promise<boolean>
}

/** Lookups take names and return only those found, in no particular order. */
export interface ResourceStore {
  findIdentityResourcesByScopeName(names: readonly string[]): Promise<IdentityResource[]>
  findApiScopesByName(names: readonly string[]): Promise<ApiScope[]>
  /** API resources listing at least one of these scope names in `scopes`. */
  findApiResourcesByScopeName(scopeNames: readonly string[]): Promise<ApiResource[]>
  findApiResourcesByName(names: readonly string[]): Promise<ApiResource[]>
  getAllResources(): Promise<Resources>
  upsertIdentityResource(resource: IdentityResource): Promise<void>
  upsertApiScope(scope: ApiScope): Promise<void>
  upsertApiResource(resource: ApiResource): Promise<void>
  removeIdentityResource(name: string): Promise<boolean>
  removeApiScope(name: string): Promise<boolean>
  removeApiResource(name: string): Promise<boolean>
}

export interface UserStore {
  findBySubjectId(subjectId: string): Promise<User | undefined>
  /** Case-insensitive: `Alice` finds `alice`. */
  findByUsername(username: string): Promise<User | undefined>
  /**
   * Every user, ordered by subjectId, for the admin CLI's `users list`. Optional: a plugin over
   * an application's own user table may leave listing to that application.
   */
  list?(): Promise<User[]>
  /**
   * Creates or replaces the user with this subjectId. Throws `StoreConflictError` when another
   * subject already holds the username (compared case-insensitively).
   */
  upsert(user: User): Promise<void>
  /** Replaces only the lockout record; false when the user does not exist. */
  setLockout(subjectId: string, lockout: UserLockout): Promise<boolean>
  remove(subjectId: string): Promise<boolean>
}

export interface ConfigurationStores {
  clients: ClientStore
  resources: ResourceStore
  users: UserStore
}
