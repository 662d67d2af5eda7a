/**
 * The parameters an authorization request really carries: its own (query or form), a request
 * object's (`request`, RFC 9101), or a pushed request's (`request_uri` from the PAR endpoint,
 * RFC 9126); and whether that way of sending them meets the client's and the deployment's
 * requirements.
 */
import type { Client } from '../../models/client.ts'
import { OAuthError } from '../errors.ts'
import { type RequestParameters, requireIdentifierLength } from '../request-parameters.ts'
import type { PushedRequestStore, RequestProvenance } from './pushed-request-store.ts'
import type { RequestObjectVerifier } from './request-object.ts'

export interface AuthorizeParameterReaderOptions {
  findClient(clientId: string): Promise<Client | undefined>
  pushed: PushedRequestStore
  requestObjects: RequestObjectVerifier
  /** `par.required`: every client must push its requests (RFC 9126 §5). */
  pushedRequired: boolean
}

export const plainRequest: RequestProvenance = { pushed: false, signed: false }

export class AuthorizeParameterReader {
  constructor(private readonly options: AuthorizeParameterReaderOptions) {}

  get pushedRequired(): boolean {
    return this.options.pushedRequired
  }

  /**
   * The effective parameters. Errors here concern parameters no redirect URI has been checked
   * for yet, so they are shown as a page, never redirected.
   */
  async read(
    outer: RequestParameters,
    issuer: string,
  ): Promise<{ params: RequestParameters; provenance: RequestProvenance }> {
    const requestUri = outer.get('request_uri')
    const request = outer.get('request')
    if (requestUri === undefined && request === undefined) return { params: outer, provenance: plainRequest }
    if (requestUri !== undefined && request !== undefined) {
      throw new OAuthError('invalid_request', 'request and request_uri cannot be used together')
    }
    // RFC 9126 §4 and RFC 9101 §5: client_id is sent beside the reference or the object.
    const clientId = outer.get('client_id')
    if (clientId === undefined) throw new OAuthError('invalid_request', 'the client_id parameter is missing')
    requireIdentifierLength('client_id', clientId)
    // RFC 9126 §4: every other parameter sent beside request_uri is ignored.
    if (requestUri !== undefined) return this.options.pushed.redeem(requestUri, clientId)
    const client = await this.options.findClient(clientId)
    if (!client?.enabled) throw new OAuthError('invalid_request', 'the client is unknown or disabled')
    const params = await this.options.requestObjects.verify(request!, client, issuer)
    return { params, provenance: { pushed: false, signed: true } }
  }

  /**
   * RFC 9126 §5 (`require_pushed_authorization_requests`, per client or deployment-wide) and
   * RFC 9101 §10.5 (a client that must sign its requests): invalid_request otherwise.
   */
  checkRequirements(client: Client, provenance: RequestProvenance): void {
    if ((this.options.pushedRequired || client.requirePushedAuthorization) && !provenance.pushed) {
      throw new OAuthError(
        'invalid_request',
        'authorization requests must be pushed to the PAR endpoint first',
      )
    }
    if (client.requireRequestObject && !provenance.signed) {
      throw new OAuthError(
        'invalid_request',
        'the client must send its authorization request as a signed request object',
      )
    }
  }
}
