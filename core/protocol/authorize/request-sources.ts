/**
 * The ways an authorization request's parameters may arrive besides the browser's query:
 * signed request objects (RFC 9101) and pushed requests (RFC 9126), assembled once per app.
 */
import type { Clock } from '../../clock.ts'
import type { PersistedGrantStore } from '../../stores/operational.ts'
import type { ClientAuthenticator } from '../client-authentication.ts'
import type { ConfigurationCache } from '../configuration-cache.ts'
import type { DPoPValidator } from '../dpop/dpop-validator.ts'
import { AuthorizeParameterReader } from './authorize-parameters.ts'
import { PushedAuthorizationEndpoint } from './pushed-authorization.ts'
import { PushedRequestStore } from './pushed-request-store.ts'
import { RequestObjectVerifier } from './request-object.ts'

export interface AuthorizeRequestSourceOptions {
  authenticator: ClientAuthenticator
  configuration: ConfigurationCache
  grants: PersistedGrantStore
  clock: Clock
  /** The `par` config: deployment-wide requirement and request_uri lifetime in seconds. */
  par: { required: boolean; lifetimeSeconds: number }
  /** The token service's DPoP validator: proofs at the PAR endpoint (RFC 9449 §10.1). */
  dpop?: DPoPValidator | undefined
}

export function authorizeRequestSources(options: AuthorizeRequestSourceOptions) {
  const { authenticator, configuration, clock } = options
  const pushed = new PushedRequestStore(options.grants, clock, options.par.lifetimeSeconds)
  const requestObjects = new RequestObjectVerifier({
    keySetOf: (client, now) => authenticator.keySetOf(client, now),
    clock,
  })
  const parameters = new AuthorizeParameterReader({
    findClient: (clientId) => configuration.findClient(clientId),
    pushed,
    requestObjects,
    pushedRequired: options.par.required,
  })
  const pushedAuthorization = new PushedAuthorizationEndpoint({
    authenticator,
    lookups: configuration,
    pushed,
    requestObjects,
    requirements: parameters,
    dpop: options.dpop,
  })
  return { parameters, pushedAuthorization }
}
