/**
 * The token endpoint's grant types, registered in one place. A deployment adds an extension
 * grant (RFC 6749 §4.5, e.g. token exchange) by registering a handler for its grant_type URI,
 * as IdentityServer's IExtensionGrantValidator.
 *
 * @example
 * registry.register({
 *   grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
 *   async handle({ client, params, services, issuer }) { ... return { access_token, token_type, expires_in } },
 * })
 */
import type { Clock } from '../../clock.ts'
import type { Logger } from '../../logger.ts'
import type { Client } from '../../models/client.ts'
import type { DeviceCodeStore, PersistedGrantStore, ReplayCache } from '../../stores/operational.ts'
import type { ClientAuthenticationMethod } from '../client-authentication.ts'
import type { ConfigurationCache } from '../configuration-cache.ts'
import type { DPoPBinding, DPoPValidator } from '../dpop/dpop-validator.ts'
import type { RequestParameters } from '../request-parameters.ts'
import type { AccessTokenIssuer } from '../tokens/access-token-issuer.ts'
import type { SigningAlgorithm, TokenSigner } from '../tokens/token-signer.ts'
import type { UserDirectory } from '../user-profile.ts'

/** What a grant handler may use. */
export interface TokenServices {
  /** Cached clients, resources and validated scopes. */
  resources: ConfigurationCache
  accessTokens: AccessTokenIssuer
  grants: PersistedGrantStore
  /** Users and sessions, for grants that act for a user (authorization code). */
  identity?: IdentityServices | undefined
  /** Validates DPoP proofs (RFC 9449); without it a DPoP header is refused. */
  dpop?: DPoPValidator | undefined
  clock: Clock
  logger: Logger
}

/** What issuing an ID Token needs. */
export interface IdentityServices {
  users: UserDirectory
  /** For the device flow (RFC 8628): its codes and the replay cache that paces polling. */
  deviceCodes?: DeviceCodeStore | undefined
  replay?: ReplayCache | undefined
  signer: TokenSigner
  signingAlgorithms: readonly SigningAlgorithm[]
}

export interface TokenRequestContext {
  issuer: string
  params: RequestParameters
  /** The authenticated client; `grant_type` is already in its `allowedGrantTypes`. */
  client: Client
  authenticationMethod: ClientAuthenticationMethod
  /** The key of the request's valid DPoP proof: tokens issued are bound to it (RFC 9449 §5). */
  dpop?: DPoPBinding | undefined
  services: TokenServices
}

/** RFC 6749 §5.1; handlers may add members (e.g. RFC 8693 `issued_token_type`). */
export interface TokenResponse {
  access_token: string
  token_type: string
  expires_in?: number
  scope?: string
  refresh_token?: string
  id_token?: string
  [member: string]: unknown
}

export interface GrantHandler {
  /** The `grant_type` value this handler answers. */
  readonly grantType: string
  handle(context: TokenRequestContext): Promise<TokenResponse>
}

export class GrantHandlerRegistry {
  private readonly handlers = new Map<string, GrantHandler>()

  constructor(handlers: readonly GrantHandler[] = []) {
    for (const handler of handlers) this.register(handler)
  }

  /** Adds a handler; registering a grant type twice is a programming error. */
  register(handler: GrantHandler): this {
    if (this.handlers.has(handler.grantType)) {
      throw new Error(`a handler for grant type ${handler.grantType} is already registered`)
    }
    this.handlers.set(handler.grantType, handler)
    return this
  }

  get(grantType: string): GrantHandler | undefined {
    return this.handlers.get(grantType)
  }

  /** The grant types this server answers, for discovery's `grant_types_supported`. */
  grantTypes(): string[] {
    return [...this.handlers.keys()]
  }
}
