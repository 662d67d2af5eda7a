/**
 * Portico's one logical schema, built for either dialect from its column types. Collections of
 * the configuration models live in JSON documents (read back over the model's defaults, so a
 * field added later needs no migration); everything the stores query by is a column, indexed.
 */

import type { Column } from 'drizzle-orm'
import type { Client } from '../../core/models/client.ts'
import type { ApiResource, ApiScope, IdentityResource } from '../../core/models/resources.ts'
import type { SqlColumnTypes, SqlTable } from './dialect.ts'

export interface ClientRow {
  clientId: string
  enabled: boolean
  /** The rest of the client. */
  data: Omit<Client, 'clientId' | 'enabled'>
}

export interface ResourceRow<R extends { name: string; enabled: boolean }> {
  name: string
  enabled: boolean
  data: Omit<R, 'name' | 'enabled' | 'scopes'>
}

/** The scopes of an API resource, one row each, so resources are found by scope through an index. */
export interface ApiResourceScopeRow {
  apiResourceName: string
  scopeName: string
  position: number
}

export interface UserRow {
  subjectId: string
  username: string
  /** The username lower-cased: unique, so usernames are unique case-insensitively. */
  normalizedUsername: string
  passwordHash: string | null
  claims: Record<string, unknown>
  enabled: boolean
  failedCount: number
  lockedUntil: number | null
}

export interface GrantRow {
  key: string
  type: string
  subjectId: string | null
  sessionId: string | null
  clientId: string
  description: string | null
  createdAt: number
  expiresAt: number
  consumedAt: number | null
  data: string
}

export interface DeviceCodeRow {
  deviceCodeKey: string
  userCode: string
  clientId: string
  status: 'pending' | 'authorized' | 'denied'
  subjectId: string | null
  sessionId: string | null
  createdAt: number
  expiresAt: number
  consumedAt: number | null
  data: string
}

export interface SessionRow {
  key: string
  subjectId: string
  sessionId: string
  displayName: string | null
  createdAt: number
  renewedAt: number
  expiresAt: number
  data: string
}

export interface ReplayRow {
  id: string
  expiresAt: number
}

export interface KeyRow {
  id: string
  use: string
  algorithm: string
  createdAt: number
  data: string
  version: number
}

export interface SqlTables {
  clients: SqlTable<ClientRow>
  identityResources: SqlTable<ResourceRow<IdentityResource>>
  apiScopes: SqlTable<ResourceRow<ApiScope>>
  apiResources: SqlTable<ResourceRow<ApiResource>>
  apiResourceScopes: SqlTable<ApiResourceScopeRow>
  users: SqlTable<UserRow>
  grants: SqlTable<GrantRow>
  deviceCodes: SqlTable<DeviceCodeRow>
  sessions: SqlTable<SessionRow>
  replay: SqlTable<ReplayRow>
  keys: SqlTable<KeyRow>
}

type Indexed<Row> = { [K in keyof Row]: Column }

/** The tables in the dialect whose column types are given. */
export function defineSchema(t: SqlColumnTypes): SqlTables {
  // Each table names every field of its row type, so the schema cannot drift from the rows.
  function table<Row>(
    name: string,
    columns: { [K in keyof Row]-?: ReturnType<SqlColumnTypes['text']> },
    indexes: (columns: Indexed<Row>) => unknown[] = () => [],
  ): SqlTable<Row> {
    return t.table(name, columns, indexes as (table: never) => unknown[]) as SqlTable<Row>
  }
  const resource = <R extends { name: string; enabled: boolean }>(name: string) =>
    table<ResourceRow<R>>(name, {
      name: t.text('name').primaryKey(),
      enabled: t.boolean('enabled').notNull(),
      data: t.json('data').notNull(),
    })

  return {
    clients: table<ClientRow>('clients', {
      clientId: t.text('client_id').primaryKey(),
      enabled: t.boolean('enabled').notNull(),
      data: t.json('data').notNull(),
    }),
    identityResources: resource<IdentityResource>('identity_resources'),
    apiScopes: resource<ApiScope>('api_scopes'),
    apiResources: resource<ApiResource>('api_resources'),
    apiResourceScopes: table<ApiResourceScopeRow>(
      'api_resource_scopes',
      {
        apiResourceName: t.text('api_resource_name').notNull(),
        scopeName: t.text('scope_name').notNull(),
        position: t.integer('position').notNull(),
      },
      (c) => [
        t.primaryKey(c.apiResourceName, c.scopeName),
        t.index('api_resource_scopes_scope').on(c.scopeName),
      ],
    ),
    users: table<UserRow>(
      'users',
      {
        subjectId: t.text('subject_id').primaryKey(),
        username: t.text('username').notNull(),
        normalizedUsername: t.text('normalized_username').notNull(),
        passwordHash: t.text('password_hash'),
        claims: t.json('claims').notNull(),
        enabled: t.boolean('enabled').notNull(),
        failedCount: t.integer('failed_count').notNull(),
        lockedUntil: t.epochMs('locked_until'),
      },
      (c) => [t.uniqueIndex('users_normalized_username').on(c.normalizedUsername)],
    ),
    grants: table<GrantRow>(
      'persisted_grants',
      {
        key: t.text('key').primaryKey(),
        type: t.text('type').notNull(),
        subjectId: t.text('subject_id'),
        sessionId: t.text('session_id'),
        clientId: t.text('client_id').notNull(),
        description: t.text('description'),
        createdAt: t.epochMs('created_at').notNull(),
        expiresAt: t.epochMs('expires_at').notNull(),
        consumedAt: t.epochMs('consumed_at'),
        data: t.text('data').notNull(),
      },
      (c) => [
        t.index('persisted_grants_subject_client_type').on(c.subjectId, c.clientId, c.type),
        t.index('persisted_grants_subject_session_type').on(c.subjectId, c.sessionId, c.type),
        t.index('persisted_grants_expires_at').on(c.expiresAt),
        // Added in migration 0001: listing or removing a client's grants without a subject.
        t.index('persisted_grants_client_type').on(c.clientId, c.type),
      ],
    ),
    deviceCodes: table<DeviceCodeRow>(
      'device_codes',
      {
        deviceCodeKey: t.text('device_code_key').primaryKey(),
        userCode: t.text('user_code').notNull(),
        clientId: t.text('client_id').notNull(),
        status: t.text('status').notNull(),
        subjectId: t.text('subject_id'),
        sessionId: t.text('session_id'),
        createdAt: t.epochMs('created_at').notNull(),
        expiresAt: t.epochMs('expires_at').notNull(),
        consumedAt: t.epochMs('consumed_at'),
        data: t.text('data').notNull(),
      },
      (c) => [
        t.uniqueIndex('device_codes_user_code').on(c.userCode),
        t.index('device_codes_expires_at').on(c.expiresAt),
      ],
    ),
    sessions: table<SessionRow>(
      'user_sessions',
      {
        key: t.text('key').primaryKey(),
        subjectId: t.text('subject_id').notNull(),
        sessionId: t.text('session_id').notNull(),
        displayName: t.text('display_name'),
        createdAt: t.epochMs('created_at').notNull(),
        renewedAt: t.epochMs('renewed_at').notNull(),
        expiresAt: t.epochMs('expires_at').notNull(),
        data: t.text('data').notNull(),
      },
      (c) => [
        t.index('user_sessions_subject').on(c.subjectId),
        t.index('user_sessions_expires_at').on(c.expiresAt),
        // Added in migration 0002: a session found by its sid alone (`sessions revoke --sid`).
        t.index('user_sessions_session_id').on(c.sessionId),
      ],
    ),
    replay: table<ReplayRow>(
      'replay_cache',
      { id: t.text('id').primaryKey(), expiresAt: t.epochMs('expires_at').notNull() },
      (c) => [t.index('replay_cache_expires_at').on(c.expiresAt)],
    ),
    keys: table<KeyRow>('keys', {
      id: t.text('id').primaryKey(),
      use: t.text('use').notNull(),
      algorithm: t.text('algorithm').notNull(),
      createdAt: t.epochMs('created_at').notNull(),
      data: t.text('data').notNull(),
      version: t.integer('version').notNull(),
    }),
  }
}
