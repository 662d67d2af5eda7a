/**
 * JWT-Secured Authorization Requests (RFC 9101): the `request` parameter, a JWT signed with
 * one of the client's registered keys, whose claims are the authorization request's
 * parameters. Unsigned (`alg: none`) and encrypted request objects are refused.
 */
import { type createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import type { Clock } from '../../clock.ts'
import type { Client } from '../../models/client.ts'
import { clientAssertionAlgorithms } from '../client-authentication.ts'
import { OAuthError } from '../errors.ts'
import { RequestParameters } from '../request-parameters.ts'

/** Asymmetric algorithms only, as for client assertions: the server holds no shared key to verify with. */
export const requestObjectAlgorithms: readonly string[] = clientAssertionAlgorithms

/** Seconds of clock skew allowed on exp, nbf and iat. */
const clockTolerance = 10

/** RFC 9101 §10.8: the explicit type; a JWT without `typ` (or the generic `JWT`) is accepted too. */
const acceptedTypes = [undefined, 'JWT', 'oauth-authz-req+jwt']

/** JWT claims that describe the request object itself, not a parameter (RFC 7519 §4.1). */
const registeredClaims = new Set(['iss', 'aud', 'exp', 'nbf', 'iat', 'jti', 'sub'])

export interface RequestObjectVerifierOptions {
  /** The client's registered public keys (ClientAuthenticator.keySetOf), undefined when it has none. */
  keySetOf(client: Client, now: number): ReturnType<typeof createLocalJWKSet> | undefined
  clock: Clock
}

export class RequestObjectVerifier {
  constructor(private readonly options: RequestObjectVerifierOptions) {}

  /**
   * The parameters a request object carries, after checking its signature with `client`'s keys,
   * `iss` (the client_id), `aud` (the issuer) and its lifetime. RFC 9101 §6.3: these are the
   * request's parameters; whatever was sent beside the object is not used.
   */
  async verify(requestObject: string, client: Client, issuer: string): Promise<RequestParameters> {
    if (requestObject.split('.').length !== 3) {
      throw invalidRequestObject('the request object must be a signed JWT (JWS compact serialization)')
    }
    let typ: unknown
    try {
      typ = decodeProtectedHeader(requestObject).typ
    } catch {
      throw invalidRequestObject('the request object is not a JWT')
    }
    if (!acceptedTypes.includes(typ as string | undefined)) {
      throw invalidRequestObject('the request object has an unexpected typ')
    }
    const now = this.options.clock.now()
    const keySet = this.options.keySetOf(client, now)
    if (!keySet) throw invalidRequestObject('the client has no registered key to verify request objects with')
    let claims: Record<string, unknown>
    try {
      const { payload } = await jwtVerify(requestObject, keySet, {
        issuer: client.clientId,
        audience: issuer,
        algorithms: [...requestObjectAlgorithms],
        currentDate: new Date(now),
        clockTolerance,
      })
      claims = payload
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'error'
      throw invalidRequestObject(`the request object is not valid (${code})`)
    }
    // jose checks that iat is a number, not when it is: an object from the future is refused.
    if (typeof claims.iat === 'number' && claims.iat > now / 1000 + clockTolerance) {
      throw invalidRequestObject('the request object was issued in the future')
    }
    // RFC 9101 §6.3: a client_id inside must be the one the request is made for.
    if (claims.client_id !== undefined && claims.client_id !== client.clientId) {
      throw invalidRequestObject('client_id in the request object does not match the request')
    }
    return RequestParameters.fromForm(parametersOf({ ...claims, client_id: client.clientId }).toString())
  }
}

/** Claims as form parameters: numbers and booleans as text, objects (`claims`) as JSON, arrays (`resource`) repeated. */
function parametersOf(claims: Record<string, unknown>): URLSearchParams {
  const form = new URLSearchParams()
  for (const [name, value] of Object.entries(claims)) {
    if (registeredClaims.has(name)) continue
    // RFC 9101 §4: a request object never holds request or request_uri.
    if (name === 'request' || name === 'request_uri') {
      throw invalidRequestObject(`the request object must not contain ${name}`)
    }
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      for (const item of value) form.append(name, item)
    } else if (typeof value === 'string') form.append(name, value)
    else if (typeof value === 'number' || typeof value === 'boolean') form.append(name, String(value))
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      form.append(name, JSON.stringify(value))
    } else throw invalidRequestObject(`the request object's ${name} has an unusable value`)
  }
  return form
}

function invalidRequestObject(description: string): OAuthError {
  return new OAuthError('invalid_request_object', description)
}
