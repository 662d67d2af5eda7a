/**
 * The `seed` section: IdentityServer's models in camelCase, every field optional except the
 * identifier, defaults filled in later by `client()`, `apiScope()` … from core/models.
 */
import * as v from 'valibot'
import { standardIdentityResources } from '../../core/models/resources.ts'
import {
  absoluteUri,
  flag,
  identifier,
  integer,
  list,
  nonEmpty,
  oneOf,
  secretText,
  strict,
  stringMap,
  text,
  uniqueList,
} from './rules.ts'

/** Algorithms a deployment may sign with (JWA, RFC 7518 §3.1). */
export const signingAlgorithms = ['RS256', 'ES256'] as const

/**
 * Grant types a client may be allowed, only those the token endpoint answers (issue 10 item 11);
 * refresh tokens come from `allowOfflineAccess`.
 */
export const grantTypes = [
  'authorization_code',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
] as const

/** Standard grants not built yet: named so the refusal says so, rather than "unknown". */
const notYetSupported = ['password']

/**
 * A built-in grant type, or an absolute URI naming an extension grant (RFC 6749 §4.5) that a
 * deployment answers through `grantHandlers`.
 */
const grantType = () =>
  v.pipe(
    text(),
    v.check(
      (value) => !notYetSupported.includes(value),
      (i) =>
        `is not supported yet (given ${i.received}, allowed ${grantTypes.join(', ')}, or an absolute URI naming an extension grant)`,
    ),
    v.check(
      (value) =>
        notYetSupported.includes(value) ||
        (grantTypes as readonly string[]).includes(value) ||
        isAbsoluteUri(value),
      (i) =>
        `is not allowed (given ${i.received}, allowed ${grantTypes.join(', ')}, or an absolute URI naming an extension grant)`,
    ),
  )

/** RFC 3986 §4.3: a scheme, then anything a URL parser accepts. */
function isAbsoluteUri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]/.test(value) && URL.canParse(value)
}

const expiration = v.lazy((input) =>
  typeof input === 'string'
    ? v.pipe(
        text(),
        v.check(
          (value) => !Number.isNaN(Date.parse(value)),
          (i) => `must be a date (given ${i.received})`,
        ),
        v.transform((value) => Date.parse(value)),
      )
    : integer(0),
)

export const secretSchema = v.pipe(
  strict({
    value: secretText(),
    type: v.optional(oneOf(['SharedSecret', 'JsonWebKey'] as const), 'SharedSecret'),
    description: v.optional(text()),
    /** Epoch milliseconds or an ISO 8601 date. */
    expiration: v.optional(expiration),
  }),
  // RFC 7523 §2.2: the server holds the client's public key only; a private or malformed key
  // would be stored as given and never authenticate anything.
  v.forward(
    v.check(
      (secret) => secret.type !== 'JsonWebKey' || isPublicJwk(secret.value),
      'must be a public JSON Web Key in JSON (given a value that is not, or that holds private key members)',
    ),
    ['value'],
  ),
)

const privateJwkMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']

function isPublicJwk(value: string): boolean {
  let jwk: unknown
  try {
    jwk = JSON.parse(value)
  } catch {
    return false
  }
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) return false
  const members = jwk as Record<string, unknown>
  return typeof members.kty === 'string' && privateJwkMembers.every((name) => !(name in members))
}

const resourceBase = {
  name: identifier(),
  displayName: v.optional(text()),
  description: v.optional(text()),
  enabled: v.optional(flag()),
  showInDiscoveryDocument: v.optional(flag()),
  userClaims: v.optional(uniqueList(nonEmpty())),
  properties: v.optional(stringMap()),
}

const standardNames = Object.keys(standardIdentityResources)

export const identityResourceSchema = v.lazy((input) =>
  typeof input === 'string'
    ? oneOf(standardNames)
    : strict({ ...resourceBase, required: v.optional(flag()), emphasize: v.optional(flag()) }),
)

export const apiScopeSchema = strict({
  ...resourceBase,
  required: v.optional(flag()),
  emphasize: v.optional(flag()),
})

export const apiResourceSchema = strict({
  ...resourceBase,
  scopes: v.optional(uniqueList(identifier())),
  apiSecrets: v.optional(list(secretSchema)),
  allowedAccessTokenSigningAlgorithms: v.optional(uniqueList(oneOf(signingAlgorithms))),
  requireResourceIndicator: v.optional(flag()),
})

/** RFC 6749 §3.1.2: a redirection endpoint URI must not include a fragment. */
const redirectUri = () =>
  v.pipe(
    absoluteUri(),
    v.check(
      (value) => !value.includes('#'),
      (i) => `must not contain a fragment (given ${i.received})`,
    ),
  )

const lifetime = () => integer(1)

export const clientSchema = strict({
  clientId: identifier(),
  clientName: v.optional(text()),
  description: v.optional(text()),
  clientUri: v.optional(absoluteUri()),
  logoUri: v.optional(absoluteUri()),
  enabled: v.optional(flag()),
  clientSecrets: v.optional(list(secretSchema)),
  requireClientSecret: v.optional(flag()),
  allowedGrantTypes: v.optional(uniqueList(grantType())),
  redirectUris: v.optional(uniqueList(redirectUri())),
  postLogoutRedirectUris: v.optional(uniqueList(redirectUri())),
  allowedScopes: v.optional(uniqueList(identifier())),
  allowedCorsOrigins: v.optional(uniqueList(absoluteUri())),
  requirePkce: v.optional(flag()),
  allowPlainTextPkce: v.optional(flag()),
  requirePushedAuthorization: v.optional(flag()),
  requireRequestObject: v.optional(flag()),
  requireDPoP: v.optional(flag()),
  requireDPoPNonce: v.optional(flag()),
  requireConsent: v.optional(flag()),
  allowRememberConsent: v.optional(flag()),
  consentLifetime: v.optional(lifetime()),
  allowOfflineAccess: v.optional(flag()),
  accessTokenType: v.optional(oneOf(['jwt', 'reference'] as const)),
  accessTokenLifetime: v.optional(lifetime()),
  identityTokenLifetime: v.optional(lifetime()),
  authorizationCodeLifetime: v.optional(lifetime()),
  absoluteRefreshTokenLifetime: v.optional(lifetime()),
  slidingRefreshTokenLifetime: v.optional(lifetime()),
  deviceCodeLifetime: v.optional(lifetime()),
  refreshTokenUsage: v.optional(oneOf(['oneTimeOnly', 'reUse'] as const)),
  refreshTokenExpiration: v.optional(oneOf(['absolute', 'sliding'] as const)),
  updateAccessTokenClaimsOnRefresh: v.optional(flag()),
  allowedIdentityTokenSigningAlgorithms: v.optional(uniqueList(oneOf(signingAlgorithms))),
  alwaysIncludeUserClaimsInIdToken: v.optional(flag()),
  includeJwtId: v.optional(flag()),
  claims: v.optional(list(strict({ type: nonEmpty(), value: text() }))),
  alwaysSendClientClaims: v.optional(flag()),
  clientClaimsPrefix: v.optional(text()),
  frontChannelLogoutUri: v.optional(absoluteUri()),
  frontChannelLogoutSessionRequired: v.optional(flag()),
  backChannelLogoutUri: v.optional(absoluteUri()),
  backChannelLogoutSessionRequired: v.optional(flag()),
  enableLocalLogin: v.optional(flag()),
  userSsoLifetime: v.optional(lifetime()),
  properties: v.optional(stringMap()),
})

export const userSchema = strict({
  subjectId: identifier(),
  username: identifier(),
  /** Plain text, hashed with argon2id before it is stored. */
  password: v.optional(secretText()),
  /** An argon2id hash made elsewhere (`Bun.password.hash`). */
  passwordHash: v.optional(
    v.pipe(
      text(),
      v.check(
        (value) => value.startsWith('$argon2id$'),
        'must be an argon2id hash (given a value that does not start with $argon2id$)',
      ),
    ),
  ),
  claims: v.optional(v.record(text(), v.unknown(), (i) => `must be an object (given ${i.received})`)),
  enabled: v.optional(flag()),
})

export const seedSchema = strict({
  identityResources: v.optional(list(identityResourceSchema)),
  apiScopes: v.optional(list(apiScopeSchema)),
  apiResources: v.optional(list(apiResourceSchema)),
  clients: v.optional(list(clientSchema)),
  users: v.optional(list(userSchema)),
})

export type SeedInput = v.InferInput<typeof seedSchema>
export type Seed = v.InferOutput<typeof seedSchema>
export type ClientSeed = v.InferOutput<typeof clientSchema>
