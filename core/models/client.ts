/**
 * An OAuth client, following IdentityServer's `Client` model (camelCase) and its defaults.
 */
import type { Secret } from './secret.ts'

export type AccessTokenType = 'jwt' | 'reference'
/** `oneTimeOnly`: every refresh returns a new refresh token and burns the old one (RFC 9700 §4.14.2). */
export type RefreshTokenUsage = 'oneTimeOnly' | 'reUse'
export type RefreshTokenExpiration = 'absolute' | 'sliding'

export interface ClientClaim {
  type: string
  value: string
}

export interface Client {
  clientId: string
  clientName?: string
  description?: string
  clientUri?: string
  logoUri?: string
  enabled: boolean

  clientSecrets: Secret[]
  /** A client without a secret requirement is public (token endpoint auth method `none`). */
  requireClientSecret: boolean
  allowedGrantTypes: string[]
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  allowedScopes: string[]
  allowedCorsOrigins: string[]

  requirePkce: boolean
  allowPlainTextPkce: boolean
  /** RFC 9126 §5: the authorize endpoint takes this client's requests only as pushed (PAR). */
  requirePushedAuthorization: boolean
  /** RFC 9101 §10.5: the authorize endpoint takes this client's requests only as signed request objects. */
  requireRequestObject: boolean
  /** RFC 9449 §5.2 (`dpop_bound_access_tokens`): token requests without a DPoP proof are refused. */
  requireDPoP: boolean
  /** RFC 9449 §8: this client's DPoP proofs must carry a server nonce. */
  requireDPoPNonce: boolean
  requireConsent: boolean
  allowRememberConsent: boolean
  /** Seconds a remembered consent lasts; absent means until revoked. */
  consentLifetime?: number
  allowOfflineAccess: boolean

  accessTokenType: AccessTokenType
  /** Lifetimes in seconds. */
  accessTokenLifetime: number
  identityTokenLifetime: number
  authorizationCodeLifetime: number
  absoluteRefreshTokenLifetime: number
  slidingRefreshTokenLifetime: number
  deviceCodeLifetime: number
  refreshTokenUsage: RefreshTokenUsage
  refreshTokenExpiration: RefreshTokenExpiration
  updateAccessTokenClaimsOnRefresh: boolean

  /** Empty means RS256, the algorithm OpenID Connect requires every RP to support. */
  allowedIdentityTokenSigningAlgorithms: string[]
  alwaysIncludeUserClaimsInIdToken: boolean
  includeJwtId: boolean
  claims: ClientClaim[]
  alwaysSendClientClaims: boolean
  clientClaimsPrefix: string

  /** OIDC Front-Channel Logout 1.0 §2: the logout iframe URL gets `iss` and `sid` (IdentityServer: true). */
  frontChannelLogoutUri?: string
  frontChannelLogoutSessionRequired: boolean
  /** OIDC Back-Channel Logout 1.0 §2.2: the logout_token carries `sid` (IdentityServer: true). */
  backChannelLogoutUri?: string
  backChannelLogoutSessionRequired: boolean
  enableLocalLogin: boolean
  /** Seconds a user's login session may last for this client; absent means the server default. */
  userSsoLifetime?: number
  properties: Record<string, string>
}

type Defaulted =
  | 'enabled'
  | 'clientSecrets'
  | 'requireClientSecret'
  | 'allowedGrantTypes'
  | 'redirectUris'
  | 'postLogoutRedirectUris'
  | 'allowedScopes'
  | 'allowedCorsOrigins'
  | 'requirePkce'
  | 'allowPlainTextPkce'
  | 'requirePushedAuthorization'
  | 'requireRequestObject'
  | 'requireDPoP'
  | 'requireDPoPNonce'
  | 'requireConsent'
  | 'allowRememberConsent'
  | 'allowOfflineAccess'
  | 'accessTokenType'
  | 'accessTokenLifetime'
  | 'identityTokenLifetime'
  | 'authorizationCodeLifetime'
  | 'absoluteRefreshTokenLifetime'
  | 'slidingRefreshTokenLifetime'
  | 'deviceCodeLifetime'
  | 'refreshTokenUsage'
  | 'refreshTokenExpiration'
  | 'updateAccessTokenClaimsOnRefresh'
  | 'allowedIdentityTokenSigningAlgorithms'
  | 'alwaysIncludeUserClaimsInIdToken'
  | 'includeJwtId'
  | 'claims'
  | 'alwaysSendClientClaims'
  | 'clientClaimsPrefix'
  | 'frontChannelLogoutSessionRequired'
  | 'backChannelLogoutSessionRequired'
  | 'enableLocalLogin'
  | 'properties'

/** A client as written in a seed or by the CLI: everything but `clientId` has a default. */
export type ClientInput = Omit<Client, Defaulted> & Partial<Pick<Client, Defaulted>>

/** IdentityServer's defaults, so a seed only states what differs. */
export const clientDefaults: Pick<Client, Defaulted> = {
  enabled: true,
  clientSecrets: [],
  requireClientSecret: true,
  allowedGrantTypes: [],
  redirectUris: [],
  postLogoutRedirectUris: [],
  allowedScopes: [],
  allowedCorsOrigins: [],
  requirePkce: true,
  allowPlainTextPkce: false,
  requirePushedAuthorization: false,
  requireRequestObject: false,
  requireDPoP: false,
  requireDPoPNonce: false,
  requireConsent: false,
  allowRememberConsent: true,
  allowOfflineAccess: false,
  accessTokenType: 'jwt',
  accessTokenLifetime: 3600,
  identityTokenLifetime: 300,
  authorizationCodeLifetime: 300,
  absoluteRefreshTokenLifetime: 2_592_000,
  slidingRefreshTokenLifetime: 1_296_000,
  deviceCodeLifetime: 300,
  refreshTokenUsage: 'oneTimeOnly',
  refreshTokenExpiration: 'absolute',
  updateAccessTokenClaimsOnRefresh: false,
  allowedIdentityTokenSigningAlgorithms: [],
  alwaysIncludeUserClaimsInIdToken: false,
  includeJwtId: true,
  claims: [],
  alwaysSendClientClaims: false,
  clientClaimsPrefix: 'client_',
  frontChannelLogoutSessionRequired: true,
  backChannelLogoutSessionRequired: true,
  enableLocalLogin: true,
  properties: {},
}

export function client(input: ClientInput): Client {
  return { ...clientDefaults, ...input }
}
