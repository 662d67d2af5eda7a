/**
 * RFC 6749 §3.2 token endpoint: authenticates the client, then hands the request to the
 * handler registered for its grant_type.
 */

import { type Metrics, noMetrics } from '../../metrics.ts'
import {
  type AuthenticatedClient,
  assertionAudiences,
  type ClientAuthenticator,
  type CredentialSource,
} from '../client-authentication.ts'
import { tokenRequestBinding } from '../dpop/token-request.ts'
import { OAuthError } from '../errors.ts'
import type { GrantHandlerRegistry, TokenResponse, TokenServices } from './grant-handlers.ts'

export interface TokenRequest extends CredentialSource {
  issuer: string
  /** This endpoint's URL, a valid `aud` of a client assertion besides the issuer. */
  endpointUrl: string
  /** The DPoP header as received (RFC 9449 §4.1). */
  dpop?: string | undefined
}

export class TokenEndpoint {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    readonly grantHandlers: GrantHandlerRegistry,
    private readonly services: TokenServices,
    private readonly metrics: Metrics = noMetrics,
  ) {}

  async handle(request: TokenRequest): Promise<TokenResponse> {
    const grantType = request.params.require('grant_type')
    const { client, method }: AuthenticatedClient = await this.authenticator.authenticate(
      request,
      assertionAudiences(request.issuer, request.endpointUrl),
    )
    const handler = this.grantHandlers.get(grantType)
    if (!handler) throw new OAuthError('unsupported_grant_type', `grant type ${grantType} is not supported`)
    // As IdentityServer: refresh tokens are allowed by allowOfflineAccess, not allowedGrantTypes.
    const allowed =
      grantType === 'refresh_token' ? client.allowOfflineAccess : client.allowedGrantTypes.includes(grantType)
    if (!allowed) {
      throw new OAuthError('unauthorized_client', `the client may not use the ${grantType} grant`)
    }
    // RFC 9449 §5: a proof binds the tokens to its key; without a DPoP header (and a client
    // that does not require one) nothing is awaited here.
    const dpop =
      request.dpop === undefined && !client.requireDPoP
        ? undefined
        : await tokenRequestBinding(this.services.dpop, request, client)
    const response = await handler.handle({
      issuer: request.issuer,
      params: request.params,
      client,
      authenticationMethod: method,
      dpop,
      services: this.services,
    })
    this.metrics.tokenIssued(grantType)
    return response
  }
}
