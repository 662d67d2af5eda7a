/**
 * The browser half of the server assembled once per app: sessions, the authorize flow, the
 * credential check, the login throttle and anti-forgery, shared by the authorize, login and
 * consent routes.
 */

import type { KeyRing } from '../../core/keys/key-ring.ts'
import type { Logger } from '../../core/logger.ts'
import type { Metrics } from '../../core/metrics.ts'
import { AuthorizeEndpoint } from '../../core/protocol/authorize/authorize-endpoint.ts'
import type { PushedAuthorizationEndpoint } from '../../core/protocol/authorize/pushed-authorization.ts'
import { authorizeRequestSources } from '../../core/protocol/authorize/request-sources.ts'
import type { ClientAuthenticator } from '../../core/protocol/client-authentication.ts'
import type { ConfigurationCache } from '../../core/protocol/configuration-cache.ts'
import { DeviceVerification } from '../../core/protocol/device/device-verification.ts'
import type { DPoPValidator } from '../../core/protocol/dpop/dpop-validator.ts'
import { type Authenticate, storeCredentialCheck } from '../../core/protocol/login/credential-check.ts'
import { LoginThrottle } from '../../core/protocol/login/login-throttle.ts'
import { BrowserSessions, type DataProtector } from '../../core/protocol/session/browser-session.ts'
import { idTokenHintVerifier } from '../../core/protocol/tokens/id-token-hint.ts'
import { userDirectory } from '../../core/protocol/user-profile.ts'
import type { PorticoDeps } from '../portico-env.ts'
import { AntiForgery } from './anti-forgery.ts'

export interface SignInServices {
  authorize: AuthorizeEndpoint
  sessions: BrowserSessions
  antiForgery: AntiForgery
  authenticate: Authenticate
  /** True when a custom `authenticate` signs in users the configuration store does not hold. */
  externalUsers: boolean
  guard: LoginThrottle
  /** The device flow's verification (RFC 8628 §3.3) and its code-entry throttle. */
  device: DeviceVerification
  deviceGuard: LoginThrottle
  configuration: ConfigurationCache
  /** RFC 9126 §2: the PAR endpoint. */
  pushedAuthorization: PushedAuthorizationEndpoint
  logger: Logger
}

export function createSignIn(
  deps: PorticoDeps,
  keyRing: KeyRing,
  configuration: ConfigurationCache,
  authenticator: ClientAuthenticator,
  /** The token service's: DPoP proofs at the PAR endpoint (RFC 9449 §10.1). */
  dpop?: DPoPValidator,
): SignInServices {
  const { config, stores, clock } = deps
  const protector: DataProtector = keyRing
  const sessions = new BrowserSessions({
    store: stores.operational.sessions,
    protector,
    clock,
    lifetimeSeconds: config.session.lifetimeSeconds,
    sliding: config.session.sliding,
  })
  const sources = authorizeRequestSources({
    authenticator,
    configuration,
    grants: stores.operational.grants,
    clock,
    par: config.par,
    dpop,
  })
  const authorize = new AuthorizeEndpoint({
    configuration,
    grants: stores.operational.grants,
    users: userDirectory(stores.configuration.users, config.profile),
    sessions,
    protector,
    idTokenHints: idTokenHintVerifier(keyRing),
    clock,
    parameters: sources.parameters,
  })
  return {
    authorize,
    sessions,
    antiForgery: new AntiForgery(protector),
    authenticate: countingFailures(
      config.authenticate ?? storeCredentialCheck(stores.configuration.users),
      deps.metrics,
    ),
    externalUsers: config.authenticate !== undefined,
    // Counted in the operational store, so the limits hold across every instance.
    guard: new LoginThrottle({ clock, rules: config.login.throttle, replay: stores.operational.replay }),
    device: new DeviceVerification({
      deviceCodes: stores.operational.deviceCodes,
      configuration,
      protector,
      clock,
    }),
    // Wrong user codes: 5 per browser and 50 per address per 15 minutes, as for passwords.
    deviceGuard: new LoginThrottle({ clock, replay: stores.operational.replay, purpose: 'device' }),
    configuration,
    pushedAuthorization: sources.pushedAuthorization,
    logger: deps.logger,
  }
}

/** The credential check, with each refusal counted (`portico_user_login_failures_total`). */
function countingFailures(authenticate: Authenticate, metrics: Metrics | undefined): Authenticate {
  if (!metrics) return authenticate
  return async function countedAuthenticate(username, password, context) {
    const user = await authenticate(username, password, context)
    if (!user) metrics.userLoginFailed()
    return user
  }
}
