/**
 * Where the protocol endpoints join the app. Each endpoint is a thin file beside this one
 * (`token.ts`, `authorize.ts` …) over core/protocol; register it here with one line.
 */
import type { Hono } from 'hono'
import { OAuthError } from '../../core/protocol/errors.ts'
import { createTokenService } from '../../core/protocol/token-service.ts'
import type { PublicKeySource, TokenSigner } from '../../core/protocol/tokens/token-signer.ts'
import { availableLocales } from '../../ui/messages/index.ts'
import { createSignIn } from '../browser/sign-in.ts'
import { createEndSession } from '../logout/end-session.ts'
import { mountCors } from '../middleware/cors.ts'
import type { PorticoDeps, PorticoEnv } from '../portico-env.ts'
import { mountAuthorizeRoutes } from './authorize.ts'
import { mountConsentRoutes } from './consent.tsx'
import { mountDeviceRoutes } from './device.tsx'
import { mountDiscoveryRoutes } from './discovery.ts'
import { mountEndSessionRoutes } from './end-session.tsx'
import { mountIntrospectionRoute } from './introspection.ts'
import { mountJwksRoute } from './jwks.ts'
import { mountLoginRoutes } from './login.tsx'
import { mountPushedAuthorizationRoute } from './par.ts'
import { mountRevocationRoute } from './revocation.ts'
import { mountTokenRoute } from './token.ts'
import { mountUserinfoRoute } from './userinfo.ts'

export function mountProtocolRoutes(app: Hono<PorticoEnv>, deps: PorticoDeps): void {
  const { config } = deps
  const keys = deps.keyRing ?? noKeyRing
  const service = createTokenService({
    configuration: deps.stores.configuration,
    operational: deps.stores.operational,
    keys,
    signingAlgorithms: deps.keyRing?.algorithms ?? config.signing.algorithms,
    accessTokenAlgorithm: config.signing.accessTokenAlgorithm,
    cacheTtlSeconds: config.cache.ttlSeconds,
    assertionMaxLifetime: config.clientAssertion.maxLifetime,
    // Counted where every instance sees them, unless the operational store is this process's memory.
    throttleStore:
      config.throttle.store ?? (config.stores.operational.plugin === 'memory' ? 'memory' : 'operational'),
    grantHandlers: deps.grantHandlers,
    // Signing users in needs the key ring's data protection (cookies, interaction state).
    signIn: deps.keyRing && {
      users: deps.stores.configuration.users,
      profile: config.profile,
      sessions: deps.stores.operational.sessions,
      deviceCodes: deps.stores.operational.deviceCodes,
    },
    clock: deps.clock,
    logger: deps.logger,
    metrics: deps.metrics,
    // RFC 9449 §8: nonces sealed with the key ring's data protection are valid on every instance.
    dpop: { ...config.dpop, protector: deps.keyRing },
  })
  const documents = { issuerFromRequest: !config.issuer }
  mountCors(app, service.configuration, { userinfo: Boolean(deps.keyRing && service.userinfo) })
  mountDiscoveryRoutes(app, service, {
    ...documents,
    requirePushedAuthorization: config.par.required,
    uiLocales: availableLocales(config.ui?.messages),
  })
  mountJwksRoute(app, keys, documents)
  mountTokenRoute(app, service)
  mountIntrospectionRoute(app, service)
  mountRevocationRoute(app, service)
  if (deps.keyRing && service.userinfo) {
    const signIn = createSignIn(
      deps,
      deps.keyRing,
      service.configuration,
      service.authenticator,
      service.dpop,
    )
    mountAuthorizeRoutes(app, signIn)
    mountPushedAuthorizationRoute(app, signIn.pushedAuthorization)
    mountLoginRoutes(app, signIn)
    mountConsentRoutes(app, signIn)
    mountEndSessionRoutes(app, signIn, createEndSession(deps, deps.keyRing, service.configuration))
    mountUserinfoRoute(app, service.userinfo)
    if (service.deviceAuthorization) mountDeviceRoutes(app, signIn, service.deviceAuthorization)
  }
}

/** Without a key ring nothing can be signed: token requests get 503, the JWKS is empty. */
const noKeyRing: TokenSigner & PublicKeySource = {
  async sign() {
    throw new OAuthError('temporarily_unavailable', 'no signing keys are configured', 503)
  },
  async jwks() {
    return { keys: [] }
  },
}
