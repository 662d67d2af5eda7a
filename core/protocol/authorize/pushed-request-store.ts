/**
 * Pushed authorization requests (RFC 9126) kept in the operational store as persisted grants of
 * their own type, so whichever instance the browser reaches next can serve the request. The
 * `request_uri` handed out is `urn:ietf:params:oauth:request_uri:` and a 256-bit handle; the
 * store sees only its digest. Each is redeemed once, by the client that pushed it.
 */
import type { Clock } from '../../clock.ts'
import { createHandle, grantKey } from '../../stores/handles.ts'
import type { PersistedGrantStore } from '../../stores/operational.ts'
import { OAuthError } from '../errors.ts'
import { RequestParameters } from '../request-parameters.ts'

export const pushedRequestType = 'pushed_authorization_request'
/** RFC 9126 §2.2: the URN prefix of a request_uri from the PAR endpoint. */
export const requestUriPrefix = 'urn:ietf:params:oauth:request_uri:'
/** RFC 9126 §2.2 suggests 5 to 600 seconds; one minute is enough to send a browser on. */
export const defaultPushedRequestLifetime = 60

/** How the parameters reached the server: checked against a client's or the deployment's requirements. */
export interface RequestProvenance {
  /** Through the PAR endpoint (RFC 9126). */
  pushed: boolean
  /** As a signed request object (RFC 9101). */
  signed: boolean
}

interface PushedRequestData {
  /** The validated parameters, form-encoded. */
  p: string
  signed: boolean
}

export class PushedRequestStore {
  constructor(
    private readonly grants: PersistedGrantStore,
    private readonly clock: Clock,
    /** Seconds a request_uri can be used (`par.lifetimeSeconds`). */
    readonly lifetimeSeconds = defaultPushedRequestLifetime,
  ) {}

  /** Stores validated parameters; returns the request_uri for them (RFC 9126 §2.2). */
  async push(clientId: string, params: URLSearchParams, signed: boolean): Promise<string> {
    const handle = createHandle(32)
    const now = this.clock.now()
    const data: PushedRequestData = { p: params.toString(), signed }
    await this.grants.store({
      key: grantKey(handle, pushedRequestType),
      type: pushedRequestType,
      clientId,
      createdAt: now,
      expiresAt: now + this.lifetimeSeconds * 1000,
      data: JSON.stringify(data),
    })
    return `${requestUriPrefix}${handle}`
  }

  /**
   * The parameters pushed under `requestUri`, consumed. RFC 9126 §4: only for the client that
   * pushed them (another client's attempt leaves them unspent), once, and before they expire.
   */
  async redeem(
    requestUri: string,
    clientId: string,
  ): Promise<{ params: RequestParameters; provenance: RequestProvenance }> {
    // RFC 9101 §5.2 request_uri by reference (an outside URL) is not fetched: only PAR's URNs.
    if (!requestUri.startsWith(requestUriPrefix)) {
      throw new OAuthError(
        'invalid_request_uri',
        'request_uri must come from the pushed authorization request endpoint',
      )
    }
    const key = grantKey(requestUri.slice(requestUriPrefix.length), pushedRequestType)
    const grant = await this.grants.get(key)
    if (!grant || grant.type !== pushedRequestType || grant.consumedAt !== undefined) {
      throw new OAuthError('invalid_request_uri', 'the request_uri is unknown, expired or already used')
    }
    if (grant.clientId !== clientId) {
      throw new OAuthError('invalid_request_uri', 'the request_uri was pushed by another client')
    }
    const consumed = await this.grants.consume(key)
    if (consumed.outcome !== 'consumed') {
      throw new OAuthError('invalid_request_uri', 'the request_uri is unknown, expired or already used')
    }
    const data = JSON.parse(consumed.record.data) as PushedRequestData
    return {
      params: RequestParameters.fromForm(data.p),
      provenance: { pushed: true, signed: data.signed === true },
    }
  }
}
