/**
 * Sample records for the kit. Every id is unique per call, text mixes scripts, combining marks,
 * emoji (astral code points) and quotes, and "large" values are 64 KB.
 */
import { randomUUID } from 'node:crypto'
import type {
  ApiResource,
  ApiScope,
  Client,
  DeviceCodeRecord,
  IdentityResource,
  KeyRecord,
  PersistedGrant,
  User,
  UserSession,
} from '../../core/index.ts'
import { apiResource, apiScope, client, createHandle, grantKey, identityResource } from '../../core/index.ts'

export const unicode = 'Zoë Ñúñez — 東京 مرحبا Ελλάδα e\u0301 👩🏽‍💻 🚀 "quoted" \'single\' \\ back\\slash'

/** 65,536 UTF-16 code units of mixed text, so truncation and encoding bugs both show. */
export const largeData = (() => {
  let text = ''
  for (let i = 0; text.length < 65_536; i++) text += `${i}:${unicode};`
  return text.slice(0, 65_536)
})()

/**
 * Ids whose order tells the orders of text apart: ASCII case (`B` before `a`), accents and
 * Greek after ASCII, and an emoji against U+FF5E, which JavaScript's `<` puts the other way.
 * A locale collation (`en_US`) orders `a`, `B`, `é` differently again.
 */
export const textOrderSample = ['a', 'B', 'é', 'z', 'Ω', '\uff5e', '😀', 'a😀', 'a\uff5e', 'Z']

export const minute = 60_000
export const hour = 60 * minute

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`
}

export function aGrant(now: number, fields: Partial<PersistedGrant> = {}): PersistedGrant {
  const type = fields.type ?? 'refresh_token'
  return {
    key: grantKey(createHandle(), type),
    type,
    subjectId: uniqueId('subject'),
    sessionId: uniqueId('session'),
    clientId: uniqueId('client'),
    description: `device ${unicode}`,
    createdAt: now,
    expiresAt: now + hour,
    data: JSON.stringify({ scopes: ['openid', 'offline_access'], note: unicode }),
    ...fields,
  }
}

/** A grant with only the required fields (a client-credentials reference token has no subject). */
export function aMinimalGrant(now: number): PersistedGrant {
  return {
    key: grantKey(createHandle(), 'reference_token'),
    type: 'reference_token',
    clientId: uniqueId('client'),
    createdAt: now,
    expiresAt: now + hour,
    data: '{}',
  }
}

export function aDeviceCode(now: number, fields: Partial<DeviceCodeRecord> = {}): DeviceCodeRecord {
  return {
    deviceCodeKey: grantKey(createHandle(), 'device_code'),
    userCode: createHandle(6).toUpperCase(),
    clientId: uniqueId('tv'),
    status: 'pending',
    createdAt: now,
    expiresAt: now + 5 * minute,
    data: JSON.stringify({ scopes: ['openid'], note: unicode }),
    ...fields,
  }
}

export function aSession(now: number, fields: Partial<UserSession> = {}): UserSession {
  return {
    key: grantKey(createHandle(), 'session'),
    subjectId: uniqueId('subject'),
    sessionId: uniqueId('sid'),
    displayName: unicode,
    createdAt: now,
    renewedAt: now,
    expiresAt: now + hour,
    data: JSON.stringify({ amr: ['pwd'], note: unicode }),
    ...fields,
  }
}

export function aKey(now: number, fields: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id: uniqueId('kid'),
    use: 'signing',
    algorithm: 'ES256',
    createdAt: now,
    data: `encrypted:${createHandle(512)}`,
    version: 1,
    ...fields,
  }
}

export function aUser(fields: Partial<User> = {}): User {
  return {
    subjectId: uniqueId('sub'),
    username: uniqueId('user'),
    passwordHash: '$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA',
    claims: {
      name: unicode,
      email: 'zoe@example.com',
      email_verified: true,
      address: { street_address: '1 Straße', country: '日本' },
      roles: ['admin', 'ops'],
      age: 42,
    },
    enabled: true,
    lockout: { failedCount: 2, lockedUntil: 1_900_000_000_000 },
    ...fields,
  }
}

/** A client with every field set to a non-default value, optional ones included. */
export function aFullClient(): Client {
  return {
    clientId: uniqueId('client'),
    clientName: unicode,
    description: `A client — ${unicode}`,
    clientUri: 'https://app.example.com/',
    logoUri: 'https://app.example.com/logo.png',
    enabled: false,
    clientSecrets: [
      { type: 'SharedSecret', value: 'K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=', description: unicode },
      {
        type: 'JsonWebKey',
        value: '{"kty":"EC","crv":"P-256","x":"a","y":"b"}',
        expiration: 1_900_000_000_000,
      },
    ],
    requireClientSecret: false,
    allowedGrantTypes: ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'],
    redirectUris: ['https://app.example.com/cb', 'http://127.0.0.1:4999/cb?x=é'],
    postLogoutRedirectUris: ['https://app.example.com/bye'],
    allowedScopes: ['openid', 'profile', 'api1'],
    allowedCorsOrigins: ['https://app.example.com'],
    requirePkce: false,
    allowPlainTextPkce: true,
    requirePushedAuthorization: true,
    requireRequestObject: true,
    requireDPoP: true,
    requireDPoPNonce: true,
    requireConsent: true,
    allowRememberConsent: false,
    consentLifetime: 86_400,
    allowOfflineAccess: true,
    accessTokenType: 'reference',
    accessTokenLifetime: 120,
    identityTokenLifetime: 60,
    authorizationCodeLifetime: 30,
    absoluteRefreshTokenLifetime: 7200,
    slidingRefreshTokenLifetime: 3600,
    deviceCodeLifetime: 600,
    refreshTokenUsage: 'reUse',
    refreshTokenExpiration: 'sliding',
    updateAccessTokenClaimsOnRefresh: true,
    allowedIdentityTokenSigningAlgorithms: ['ES256', 'RS256'],
    alwaysIncludeUserClaimsInIdToken: true,
    includeJwtId: false,
    claims: [{ type: 'tenant', value: unicode }],
    alwaysSendClientClaims: true,
    clientClaimsPrefix: '',
    frontChannelLogoutUri: 'https://app.example.com/fc',
    frontChannelLogoutSessionRequired: false,
    backChannelLogoutUri: 'https://app.example.com/bc',
    backChannelLogoutSessionRequired: false,
    enableLocalLogin: false,
    userSsoLifetime: 1800,
    properties: { team: unicode, 'key with spaces': 'value' },
  }
}

/** A client with IdentityServer's defaults and no optional field set. */
export function aMinimalClient(clientId = uniqueId('client')): Client {
  return client({ clientId })
}

export function anIdentityResource(fields: Partial<IdentityResource> = {}): IdentityResource {
  return identityResource({
    name: uniqueId('scope'),
    displayName: unicode,
    description: unicode,
    userClaims: ['name', 'email'],
    properties: { note: unicode },
    required: true,
    emphasize: true,
    ...fields,
  })
}

export function anApiScope(fields: Partial<ApiScope> = {}): ApiScope {
  return apiScope({
    name: uniqueId('api.scope'),
    displayName: unicode,
    userClaims: ['role'],
    showInDiscoveryDocument: false,
    ...fields,
  })
}

export function anApiResource(fields: Partial<ApiResource> = {}): ApiResource {
  return apiResource({
    name: `https://${uniqueId('api')}.example.com`,
    displayName: unicode,
    scopes: [],
    apiSecrets: [{ type: 'SharedSecret', value: 'c2VjcmV0', description: unicode }],
    allowedAccessTokenSigningAlgorithms: ['PS256'],
    requireResourceIndicator: true,
    userClaims: ['role'],
    properties: { owner: unicode },
    ...fields,
  })
}

/** Sorts by a string field, so tests compare sets from stores that return no fixed order. */
export function sortBy<T, K extends keyof T>(items: readonly T[], field: K): T[] {
  return [...items].sort((a, b) => (String(a[field]) < String(b[field]) ? -1 : 1))
}
