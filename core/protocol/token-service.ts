/**
 * The token service assembled from its parts: one object per deployment instance holding the
 * configuration cache, the brute-force throttle and the endpoints that share them.
 */
import type { Clock } from '../clock.ts'
import type { Logger } from '../logger.ts'
import type { Metrics } from '../metrics.ts'
import type { ConfigurationStores, UserStore } from '../stores/configuration.ts'
import type { DeviceCodeStore, OperationalStores, UserSessionStore } from '../stores/operational.ts'
import { ClientAuthenticator } from './client-authentication.ts'
import { clientAuthenticationThrottle, type ThrottleStore } from './client-authentication-throttle.ts'
import { ConfigurationCache } from './configuration-cache.ts'
import { DeviceAuthorizationEndpoint } from './device/device-authorization.ts'
import { DPoPValidator } from './dpop/dpop-validator.ts'
import { DPoPNonces, type NonceProtector } from './dpop/nonces.ts'
import { IntrospectionEndpoint } from './introspection.ts'
import { RevocationEndpoint } from './revocation.ts'
import { authorizationCodeGrant } from './token/authorization-code.ts'
import { clientCredentialsGrant } from './token/client-credentials.ts'
import { deviceCodeGrant } from './token/device-code.ts'
import { type GrantHandler, GrantHandlerRegistry } from './token/grant-handlers.ts'
import { refreshTokenGrant } from './token/refresh-token.ts'
import { TokenEndpoint } from './token/token-endpoint.ts'
import { AccessTokenIssuer } from './tokens/access-token-issuer.ts'
import { AccessTokenVerifier } from './tokens/access-token-verifier.ts'
import type { PublicKeySource, SigningAlgorithm, TokenSigner } from './tokens/token-signer.ts'
import { type Profile, userDirectory } from './user-profile.ts'
import { UserinfoEndpoint } from './userinfo.ts'

export interface TokenServiceOptions {
  configuration: Pick<ConfigurationStores, 'clients' | 'resources'>
  operational: Pick<OperationalStores, 'grants' | 'replay'>
  /** The key ring (or anything that signs and publishes keys the same way). */
  keys: TokenSigner & PublicKeySource
  /** Algorithms the key ring signs with; the access-token algorithm must be one of them. */
  signingAlgorithms: readonly SigningAlgorithm[]
  /** `signing.accessTokenAlgorithm` (default ES256). */
  accessTokenAlgorithm?: SigningAlgorithm
  /** `cache.ttlSeconds` (default 60; 0 disables). */
  cacheTtlSeconds?: number
  /** `clientAssertion.maxLifetime`: seconds a client assertion may live (default 300). */
  assertionMaxLifetime?: number
  /** Extension grants, registered beside the built-in ones. */
  grantHandlers?: readonly GrantHandler[]
  /** Where failed client authentications are counted (`throttle.store`; default memory). */
  throttleStore?: ThrottleStore | undefined
  /** Users and sessions: with them the service signs users in (authorization code grant, userinfo). */
  signIn?: SignInStores | undefined
  clock: Clock
  logger: Logger
  /** Tokens issued and refused client credentials (default: not counted). */
  metrics?: Metrics | undefined
  /** DPoP (RFC 9449): the `dpop` config section and what seals server nonces (the key ring). */
  dpop?: DPoPServiceOptions | undefined
}

export interface DPoPServiceOptions {
  /** `dpop.nonces`: every proof must carry a server nonce. */
  nonces?: boolean | undefined
  /** `dpop.proofWindowSeconds`: how far a proof's iat may lie from now (default 300). */
  proofWindowSeconds?: number | undefined
  /** Seals nonces every instance accepts; without it nonces are unavailable. */
  protector?: NonceProtector | undefined
}

export interface SignInStores {
  users: UserStore
  /** The host's source of user claims (`profile` in a `.ts` config). */
  profile?: Profile | undefined
  sessions: UserSessionStore
  /** With them, the device flow (RFC 8628) too. */
  deviceCodes?: DeviceCodeStore | undefined
}

export interface TokenService {
  configuration: ConfigurationCache
  /** Client authentication as at the token endpoint (also the PAR endpoint's, RFC 9126 §2). */
  authenticator: ClientAuthenticator
  /** Present when the service signs users in. */
  userinfo?: UserinfoEndpoint | undefined
  /** Present when the service runs the device flow. */
  deviceAuthorization?: DeviceAuthorizationEndpoint | undefined
  /** The verifier of this server's access tokens (introspection, userinfo). */
  verifier: AccessTokenVerifier
  /** Validates DPoP proofs (RFC 9449) at the token endpoint and userinfo. */
  dpop: DPoPValidator
  grantHandlers: GrantHandlerRegistry
  token: TokenEndpoint
  introspection: IntrospectionEndpoint
  revocation: RevocationEndpoint
  keys: PublicKeySource
  signingAlgorithms: readonly SigningAlgorithm[]
}

export function createTokenService(options: TokenServiceOptions): TokenService {
  const { clock, logger } = options
  const configuration = new ConfigurationCache(options.configuration, {
    ttlSeconds: options.cacheTtlSeconds,
    clock,
  })
  const throttle = clientAuthenticationThrottle({
    store: options.throttleStore ?? 'memory',
    replay: options.operational.replay,
    clock,
  })
  const authenticator = new ClientAuthenticator({
    clients: configuration,
    replay: options.operational.replay,
    clock,
    throttle,
    logger,
    metrics: options.metrics,
    assertionMaxLifetime: options.assertionMaxLifetime,
  })
  const signIn = options.signIn
  const builtIn = signIn
    ? [clientCredentialsGrant, authorizationCodeGrant, refreshTokenGrant]
    : [clientCredentialsGrant]
  if (signIn?.deviceCodes) builtIn.push(deviceCodeGrant)
  const grantHandlers = new GrantHandlerRegistry([...builtIn, ...(options.grantHandlers ?? [])])
  const protector = options.dpop?.protector
  const dpop = new DPoPValidator({
    replay: options.operational.replay,
    clock,
    windowSeconds: options.dpop?.proofWindowSeconds,
    nonces: protector && new DPoPNonces(protector, clock),
    requireNonces: options.dpop?.nonces,
  })
  const accessTokens = new AccessTokenIssuer({
    signer: options.keys,
    grants: options.operational.grants,
    clock,
    defaultAlgorithm: options.accessTokenAlgorithm ?? 'ES256',
    supportedAlgorithms: options.signingAlgorithms,
  })
  const token = new TokenEndpoint(
    authenticator,
    grantHandlers,
    {
      resources: configuration,
      accessTokens,
      grants: options.operational.grants,
      dpop,
      identity: signIn && {
        users: userDirectory(signIn.users, signIn.profile),
        deviceCodes: signIn.deviceCodes,
        replay: options.operational.replay,
        signer: options.keys,
        signingAlgorithms: options.signingAlgorithms,
      },
      clock,
      logger,
    },
    options.metrics,
  )
  const verifier = new AccessTokenVerifier({ keys: options.keys, clock })
  const introspection = new IntrospectionEndpoint({
    authenticator,
    clients: configuration,
    resources: configuration,
    grants: options.operational.grants,
    verifier,
    clock,
    logger,
  })
  const revocation = new RevocationEndpoint(authenticator, options.operational.grants)
  const userinfo =
    signIn &&
    new UserinfoEndpoint({
      verifier,
      grants: options.operational.grants,
      clients: configuration,
      resources: configuration,
      users: userDirectory(signIn.users, signIn.profile),
      sessions: signIn.sessions,
      dpop,
      clock,
    })
  const deviceAuthorization =
    signIn?.deviceCodes &&
    new DeviceAuthorizationEndpoint({ authenticator, configuration, deviceCodes: signIn.deviceCodes, clock })
  return {
    configuration,
    authenticator,
    userinfo,
    deviceAuthorization,
    verifier,
    dpop,
    grantHandlers,
    token,
    introspection,
    revocation,
    keys: options.keys,
    signingAlgorithms: options.signingAlgorithms,
  }
}
