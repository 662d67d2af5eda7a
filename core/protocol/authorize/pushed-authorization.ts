/**
 * RFC 9126 §2 pushed authorization request endpoint: the client sends the authorization
 * request's parameters straight to the server, authenticated as at the token endpoint, and gets
 * a one-time `request_uri` for the browser's authorization request. The request is validated
 * here as the authorize endpoint would (user interaction aside), so mistakes surface as JSON
 * errors to the client (§2.3) and not later in the browser.
 */
import {
  assertionAudiences,
  type ClientAuthenticator,
  type CredentialSource,
} from '../client-authentication.ts'
import { bindPushedRequest } from '../dpop/authorization-binding.ts'
import type { DPoPValidator } from '../dpop/dpop-validator.ts'
import { type TokenRequestProof, tokenRequestBinding } from '../dpop/token-request.ts'
import { OAuthError } from '../errors.ts'
import { RequestParameters } from '../request-parameters.ts'
import type { AuthorizeParameterReader } from './authorize-parameters.ts'
import {
  type AuthorizeLookups,
  authorizeParameterNames,
  resolveRedirect,
  validateAuthorizeRequest,
} from './authorize-request.ts'
import type { PushedRequestStore } from './pushed-request-store.ts'
import type { RequestObjectVerifier } from './request-object.ts'

export interface PushedAuthorizationRequest extends CredentialSource, TokenRequestProof {
  issuer: string
}

/** RFC 9126 §2.2, answered with 201 Created. */
export interface PushedAuthorizationResponse {
  request_uri: string
  expires_in: number
}

export interface PushedAuthorizationOptions {
  authenticator: ClientAuthenticator
  lookups: AuthorizeLookups
  pushed: PushedRequestStore
  requestObjects: RequestObjectVerifier
  requirements: Pick<AuthorizeParameterReader, 'checkRequirements'>
  /** Validates DPoP proofs (RFC 9449 §10.1); without it a DPoP header is refused. */
  dpop?: DPoPValidator | undefined
}

export class PushedAuthorizationEndpoint {
  constructor(private readonly options: PushedAuthorizationOptions) {}

  async handle(request: PushedAuthorizationRequest): Promise<PushedAuthorizationResponse> {
    const { issuer } = request
    // RFC 9126 §2: the client authenticates as at the token endpoint; a public client names itself.
    const { client } = await this.options.authenticator.authenticate(
      request,
      assertionAudiences(issuer, request.endpointUrl),
    )
    // RFC 9126 §2.1: request_uri is the one authorization parameter that must not be pushed.
    if (request.params.has('request_uri')) {
      throw new OAuthError('invalid_request', 'request_uri must not be sent to the PAR endpoint')
    }
    const requestObject = request.params.get('request')
    // RFC 9126 §3: with a request object, its claims are the request (RFC 9101 §6.3).
    const params = requestObject
      ? await this.options.requestObjects.verify(requestObject, client, issuer)
      : request.params
    const signed = requestObject !== undefined
    const named = params.get('client_id')
    if (named !== undefined && named !== client.clientId) {
      throw new OAuthError('invalid_request', 'client_id does not match the authenticated client')
    }
    this.options.requirements.checkRequirements(client, { pushed: true, signed })

    // What is kept is what the authorize endpoint reads; client credentials are not among it.
    const kept = new URLSearchParams()
    for (const name of authorizeParameterNames) {
      for (const value of params.getAll(name)) kept.append(name, value)
    }
    kept.set('client_id', client.clientId)
    const pushed = RequestParameters.fromForm(kept.toString())
    const trusted = await resolveRedirect(pushed, { findClient: async () => client })
    await validateAuthorizeRequest(pushed, trusted, { issuer, lookups: this.options.lookups })
    // RFC 9449 §10.1: a proof is checked as at the token endpoint (nonces included) and binds
    // the code to its key. Without a DPoP header nothing is awaited.
    if (request.dpop !== undefined) {
      bindPushedRequest(kept, await tokenRequestBinding(this.options.dpop, request, client))
    }
    const requestUri = await this.options.pushed.push(client.clientId, kept, signed)
    return { request_uri: requestUri, expires_in: this.options.pushed.lifetimeSeconds }
  }
}
