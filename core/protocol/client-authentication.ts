/**
 * Client authentication at the token, introspection and revocation endpoints (RFC 6749 §2.3,
 * RFC 7523 §2.2, OIDC Core §9): `client_secret_basic`, `client_secret_post`,
 * `private_key_jwt` and `none` for public clients.
 */
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, type JWK, jwtVerify } from 'jose'
import type { Clock } from '../clock.ts'
import type { Logger } from '../logger.ts'
import type { Metrics } from '../metrics.ts'
import type { Client } from '../models/client.ts'
import { grantKey } from '../stores/handles.ts'
import type { ReplayCache } from '../stores/operational.ts'
import { assertionLifetimeProblem, defaultAssertionMaxLifetime } from './client-assertion-lifetime.ts'
import { clientAttempt } from './client-authentication-throttle.ts'
import { endpointPaths } from './endpoints.ts'
import { OAuthError } from './errors.ts'
import { type RequestParameters, requireIdentifierLength } from './request-parameters.ts'
import { compareAgainstNothing, matchesSharedSecret } from './shared-secret.ts'
import type { AttemptThrottle } from './throttle/attempt-throttle.ts'

export type ClientAuthenticationMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'private_key_jwt'
  | 'none'

export const clientAuthenticationMethods: readonly ClientAuthenticationMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
]

/** RFC 7523 §2.2. */
export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/** Algorithms accepted on a client assertion: asymmetric only, so the server holds no client key. */
export const clientAssertionAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
]

/** Seconds of clock skew allowed on a client assertion's exp, nbf and iat. */
const assertionClockTolerance = 10

/** Where a request's credentials can be. */
export interface CredentialSource {
  /** The `Authorization` header. */
  authorization?: string | undefined
  /** The form body. */
  params: RequestParameters
  /** The URL's query string, where credentials must never be. */
  query?: URLSearchParams | undefined
  /** The peer address, for brute-force accounting. */
  remoteAddress?: string | undefined
}

/** What a request presents, before anything is checked. */
export type PresentedCredentials = PresentedSecret | PresentedAssertionOrNone

/** A shared secret, the one credential a guesser can try (so the one the throttle guards). */
export type PresentedSecret = {
  method: 'client_secret_basic' | 'client_secret_post'
  clientId: string
  secret: string
}

type PresentedAssertionOrNone =
  | { method: 'private_key_jwt'; clientId: string; assertion: string }
  | { method: 'none'; clientId: string }

export interface AuthenticatedClient {
  client: Client
  method: ClientAuthenticationMethod
}

const basicChallenge = { 'WWW-Authenticate': 'Basic realm="portico", charset="UTF-8"' }
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
/** Anything outside printable ASCII takes the (slower) strict UTF-8 path. */
const notPrintableAscii = /[^ -~]/
const formEscape = /[%+]/

/** An `invalid_client` that carries the Basic challenge when Basic was used (RFC 6749 §5.2). */
export function invalidClient(description: string, usedBasic: boolean, headers: Record<string, string> = {}) {
  return new OAuthError(
    'invalid_client',
    description,
    401,
    usedBasic ? { ...basicChallenge, ...headers } : headers,
  )
}

/**
 * Reads the credentials a request presents, without checking them. Undefined when it
 * presents none; `invalid_request` when it uses more than one method (RFC 6749 §2.3) or puts
 * a credential in the query string (RFC 6749 §2.3.1).
 */
export function readCredentials(source: CredentialSource): PresentedCredentials | undefined {
  const { params, query } = source
  if (query && (query.has('client_secret') || query.has('client_assertion'))) {
    throw new OAuthError('invalid_request', 'client credentials must not be sent in the URL query')
  }
  const basic = isBasic(source.authorization) ? parseBasic(source.authorization) : undefined
  const postSecret = params.get('client_secret')
  const assertion = params.get('client_assertion')
  const assertionType = params.get('client_assertion_type')
  const bodyClientId = params.get('client_id')

  const methods =
    Number(basic !== undefined) + Number(postSecret !== undefined) + Number(assertion !== undefined)
  if (methods > 1)
    throw new OAuthError('invalid_request', 'more than one client authentication method was used')

  if (basic) {
    if (bodyClientId !== undefined && bodyClientId !== basic.clientId) {
      throw new OAuthError('invalid_request', 'client_id does not match the Authorization header')
    }
    return { method: 'client_secret_basic', clientId: basic.clientId, secret: basic.secret }
  }
  if (postSecret !== undefined) {
    if (bodyClientId === undefined)
      throw new OAuthError('invalid_request', 'the client_id parameter is missing')
    return { method: 'client_secret_post', clientId: bodyClientId, secret: postSecret }
  }
  if (assertion !== undefined || assertionType !== undefined) {
    if (assertion === undefined) throw new OAuthError('invalid_request', 'client_assertion is missing')
    if (assertionType === undefined)
      throw new OAuthError('invalid_request', 'client_assertion_type is missing')
    if (assertionType !== jwtBearerAssertionType) {
      throw invalidClient('unsupported client_assertion_type', false)
    }
    const clientId = assertionSubject(assertion)
    if (bodyClientId !== undefined && bodyClientId !== clientId) {
      throw invalidClient('client_id does not match the client assertion', false)
    }
    return { method: 'private_key_jwt', clientId, assertion }
  }
  if (bodyClientId !== undefined) return { method: 'none', clientId: bodyClientId }
  return undefined
}

/**
 * The `aud` values a client assertion may carry at an endpoint (RFC 7523 §3 item 3): the
 * issuer, the endpoint's own URL, and the token endpoint's, which clients commonly use for
 * every endpoint.
 */
export function assertionAudiences(issuer: string, endpointUrl: string): string[] {
  const token = `${issuer}${endpointPaths.token}`
  return endpointUrl === token ? [issuer, token] : [issuer, endpointUrl, token]
}

function isBasic(authorization: string | undefined): authorization is string {
  return authorization !== undefined && /^basic(\s|$)/i.test(authorization)
}

/** RFC 7617 Basic credentials, each half form-decoded as RFC 6749 §2.3.1 requires. */
function parseBasic(authorization: string): { clientId: string; secret: string } {
  const match = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(authorization)
  if (!match?.[1]) throw invalidClient('malformed Basic credentials', true)
  let decoded: string
  try {
    decoded = atob(match[1])
    // atob yields one character per byte; anything beyond ASCII must be decoded as UTF-8.
    if (notPrintableAscii.test(decoded))
      decoded = strictUtf8.decode(Uint8Array.from(decoded, (c) => c.charCodeAt(0)))
  } catch {
    throw invalidClient('malformed Basic credentials', true)
  }
  const colon = decoded.indexOf(':')
  if (colon < 0) throw invalidClient('malformed Basic credentials', true)
  const clientId = formDecode(decoded.slice(0, colon))
  const secret = formDecode(decoded.slice(colon + 1))
  if (!clientId || secret === undefined) throw invalidClient('malformed Basic credentials', true)
  return { clientId, secret }
}

/** `application/x-www-form-urlencoded` decoding of one value; undefined when malformed. */
function formDecode(value: string): string | undefined {
  if (!formEscape.test(value)) return value
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    return undefined
  }
}

/** RFC 7523 §3: the assertion's `iss` and `sub` are both the client_id. */
function assertionSubject(assertion: string): string {
  let claims: ReturnType<typeof decodeJwt>
  try {
    claims = decodeJwt(assertion)
  } catch {
    throw invalidClient('the client assertion is not a JWT', false)
  }
  if (typeof claims.sub !== 'string' || !claims.sub || claims.iss !== claims.sub) {
    throw invalidClient('the client assertion must have iss and sub equal to the client_id', false)
  }
  return claims.sub
}

function isPublicJwk(value: unknown): value is JWK {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as JWK).kty === 'string' &&
    !('d' in value) &&
    !('k' in value)
  )
}

export interface ClientAuthenticatorOptions {
  clients: { findClient(clientId: string): Promise<Client | undefined> }
  replay: ReplayCache
  clock: Clock
  /** Brute-force protection of shared secrets (client-authentication-throttle.ts). */
  throttle?: AttemptThrottle | undefined
  logger?: Logger | undefined
  /** Counts refused credentials (default: none). */
  metrics?: Metrics | undefined
  /** Seconds an assertion may live (`clientAssertion.maxLifetime`, default 300). */
  assertionMaxLifetime?: number | undefined
}

export class ClientAuthenticator {
  /** Parsed key sets of `private_key_jwt` clients, kept as long as the (cached) client object. */
  private readonly keySets = new WeakMap<Client, ReturnType<typeof createLocalJWKSet> | null>()

  constructor(private readonly options: ClientAuthenticatorOptions) {}

  /**
   * Authenticates the client a request presents. `audiences` are the values a client
   * assertion's `aud` may hold: the issuer and the URL of the endpoint called (RFC 7523 §3).
   */
  async authenticate(source: CredentialSource, audiences: readonly string[]): Promise<AuthenticatedClient> {
    const presented = readCredentials(source)
    if (!presented) throw invalidClient('client authentication is required', false)
    return this.verify(presented, source, audiences)
  }

  /** Checks credentials already read with `readCredentials`. */
  async verify(
    presented: PresentedCredentials,
    peer: Pick<CredentialSource, 'remoteAddress'>,
    audiences: readonly string[],
  ): Promise<AuthenticatedClient> {
    requireIdentifierLength('client_id', presented.clientId)
    const client = await this.options.clients.findClient(presented.clientId)
    if (presented.method !== 'private_key_jwt' && presented.method !== 'none') {
      return this.verifySecret(presented, peer, client)
    }
    const failure = await this.check(presented, client, audiences)
    if (failure !== undefined || !client) return this.fail(presented, failure ?? 'unknown client')
    return { client, method: presented.method }
  }

  /**
   * Compares a shared secret with `client`'s under the brute-force throttle: the attempt is
   * reserved before the comparison, so parallel guesses never outnumber the limit (issue 13).
   * `other` may accept the secret for something else first (an API resource at introspection).
   */
  async verifySecret<T = never>(
    presented: PresentedSecret,
    peer: Pick<CredentialSource, 'remoteAddress'>,
    client: Client | undefined,
    other?: () => T | undefined,
  ): Promise<AuthenticatedClient | T> {
    let failure: string | undefined
    const compare = (): AuthenticatedClient | T | undefined => {
      const accepted = other?.()
      if (accepted !== undefined) return accepted
      failure = this.checkSecret(presented.secret, client)
      return failure === undefined ? { client: client!, method: presented.method } : undefined
    }
    const { throttle } = this.options
    // The peer address is only read when this instance tracks a failure (the hot path skips it).
    const outcome = throttle
      ? await throttle.checkSynchronously(
          () => clientAttempt(presented.clientId, peer.remoteAddress),
          compare,
        )
      : { allowed: true as const, result: compare() }
    if (!outcome.allowed) {
      this.options.logger?.warn('client_authentication_throttled', {
        clientId: presented.clientId,
        method: presented.method,
      })
      throw invalidClient(
        'too many failed attempts; try again later',
        presented.method === 'client_secret_basic',
        {
          'Retry-After': String(outcome.retryAfterSeconds),
        },
      )
    }
    if (outcome.result === undefined) this.fail(presented, failure ?? 'unknown client')
    return outcome.result
  }

  private fail(presented: PresentedCredentials, reason: string): never {
    this.options.logger?.info('client_authentication_failed', {
      clientId: presented.clientId,
      method: presented.method,
      reason,
    })
    this.options.metrics?.clientAuthenticationFailed(presented.method)
    throw invalidClient('client authentication failed', presented.method === 'client_secret_basic')
  }

  /** Why a shared secret does not authenticate `client` (for the log), or undefined. */
  private checkSecret(secret: string, client: Client | undefined): string | undefined {
    if (!client?.enabled) {
      compareAgainstNothing(secret)
      return client ? 'client disabled' : 'unknown client'
    }
    return matchesSharedSecret(client.clientSecrets, secret, this.options.clock.now())
      ? undefined
      : 'wrong or expired secret'
  }

  /** The reason authentication fails (for the log, never the response), or undefined. */
  private async check(
    presented: PresentedAssertionOrNone,
    client: Client | undefined,
    audiences: readonly string[],
  ): Promise<string | undefined> {
    const now = this.options.clock.now()
    switch (presented.method) {
      case 'private_key_jwt': {
        if (!client?.enabled) return client ? 'client disabled' : 'unknown client'
        return this.checkAssertion(client, presented.assertion, audiences, now)
      }
      case 'none': {
        if (!client?.enabled) return client ? 'client disabled' : 'unknown client'
        return client.requireClientSecret ? 'client requires authentication' : undefined
      }
    }
  }

  private async checkAssertion(
    client: Client,
    assertion: string,
    audiences: readonly string[],
    now: number,
  ): Promise<string | undefined> {
    const keySet = this.keySetOf(client, now)
    if (!keySet) return 'no JSON Web Key registered'
    let exp: number
    let jti: string
    try {
      const { payload } = await jwtVerify(assertion, keySet, {
        issuer: client.clientId,
        subject: client.clientId,
        audience: [...audiences],
        algorithms: clientAssertionAlgorithms,
        requiredClaims: ['exp', 'jti'],
        currentDate: new Date(now),
        clockTolerance: assertionClockTolerance,
      })
      // jose checks that iat is a number, not when it is: an assertion from the future is refused.
      if (payload.iat !== undefined && payload.iat > now / 1000 + assertionClockTolerance) {
        return 'invalid client assertion (iat in the future)'
      }
      // RFC 7519 §4.1.7: jti is a string.
      if (typeof payload.jti !== 'string') return 'invalid client assertion (jti is not a string)'
      exp = payload.exp as number
      const lifetime = assertionLifetimeProblem(
        { exp, iat: payload.iat },
        now / 1000,
        this.options.assertionMaxLifetime ?? defaultAssertionMaxLifetime,
        assertionClockTolerance,
      )
      if (lifetime) return lifetime
      jti = payload.jti
    } catch (error) {
      return `invalid client assertion (${(error as { code?: string }).code ?? 'error'})`
    }
    // RFC 7523 §3 item 7: a jti is used once; remembered until the assertion expires. The
    // cache sees a digest: a jti is any string (U+0000 that SQL cannot hold, kilobytes long).
    const fresh = await this.options.replay.addIfAbsent(
      grantKey(JSON.stringify([client.clientId, jti]), 'client_assertion'),
      Math.ceil(exp * 1000),
    )
    return fresh ? undefined : 'client assertion replayed'
  }

  /** The client's registered public keys (its `JsonWebKey` secrets), also for request objects (RFC 9101). */
  keySetOf(client: Client, now: number): ReturnType<typeof createLocalJWKSet> | undefined {
    const cached = this.keySets.get(client)
    if (cached !== undefined && !client.clientSecrets.some((s) => s.expiration !== undefined)) {
      return cached ?? undefined
    }
    const keys: JWK[] = []
    for (const secret of client.clientSecrets) {
      if (secret.type !== 'JsonWebKey') continue
      if (secret.expiration !== undefined && secret.expiration <= now) continue
      try {
        const jwk: unknown = JSON.parse(secret.value)
        // One malformed entry would make jose refuse the whole set: only public JWK objects go in.
        if (isPublicJwk(jwk)) keys.push(jwk)
      } catch {
        // A malformed key never authenticates anything.
      }
    }
    const keySet = keys.length > 0 ? createLocalJWKSet({ keys } as JSONWebKeySet) : null
    this.keySets.set(client, keySet)
    return keySet ?? undefined
  }
}
