/**
 * RFC 7662 token introspection. The caller is an API resource (with its `apiSecrets`, as
 * IdentityServer) or a client; an unauthenticated caller gets 401, never an answer.
 * `{"active": false}` and nothing else for a token that is unknown, expired, revoked or not
 * meant for the caller (RFC 7662 §2.2).
 */
import type { JWTPayload } from 'jose'
import type { Clock } from '../clock.ts'
import type { Logger } from '../logger.ts'
import type { Client } from '../models/client.ts'
import type { ApiResource } from '../models/resources.ts'
import type { PersistedGrantStore } from '../stores/operational.ts'
import {
  assertionAudiences,
  type ClientAuthenticator,
  type CredentialSource,
  invalidClient,
  type PresentedCredentials,
  readCredentials,
} from './client-authentication.ts'
import { requireIdentifierLength } from './request-parameters.ts'
import { matchesSharedSecret } from './shared-secret.ts'
import { type AccessTokenVerifier, looksLikeJwt } from './tokens/access-token-verifier.ts'
import { refreshTokenType } from './tokens/grant-family.ts'
import { findReferenceToken } from './tokens/reference-token.ts'
import { readRefreshTokenData, refreshTokenKey } from './tokens/refresh-token.ts'

export interface IntrospectionRequest extends CredentialSource {
  issuer: string
  endpointUrl: string
}

export type IntrospectionResponse = { active: false } | ({ active: true } & JWTPayload)

export interface IntrospectionOptions {
  authenticator: ClientAuthenticator
  /** Cached client lookups: a token outlives neither its client nor the client's enabled flag. */
  clients: { findClient(clientId: string): Promise<Client | undefined> }
  resources: { findApiResourcesByName(names: readonly string[]): Promise<ApiResource[]> }
  grants: PersistedGrantStore
  verifier: AccessTokenVerifier
  clock: Clock
  logger?: Logger | undefined
}

type Caller = { kind: 'api'; api: ApiResource } | { kind: 'client'; client: Client }

const inactive: IntrospectionResponse = Object.freeze({ active: false }) as IntrospectionResponse

export class IntrospectionEndpoint {
  constructor(private readonly options: IntrospectionOptions) {}

  async handle(request: IntrospectionRequest): Promise<IntrospectionResponse> {
    const presented = readCredentials(request)
    if (!presented) throw invalidClient('authentication is required', false)
    const caller = await this.authenticate(presented, request)
    const token = request.params.require('token')
    // RFC 7662 §2.1: the hint is optional and only speeds up the search, so it may be wrong.
    const hint = request.params.get('token_type_hint')

    const found =
      hint === refreshTokenType
        ? ((await this.refreshToken(token)) ?? (await this.lookup(token, request.issuer)))
        : ((await this.lookup(token, request.issuer)) ?? (await this.refreshToken(token)))
    if (!found) return inactive
    const { token_type: storedType, ...claims } = found
    // RFC 9449 §6.2: a DPoP-bound token is introspected as token_type DPoP with its `cnf`.
    const tokenType = storedType ?? (claims.cnf === undefined ? 'Bearer' : 'DPoP')
    const now = Math.floor(this.options.clock.now() / 1000)
    if (typeof claims.exp !== 'number' || claims.exp <= now) return inactive
    if (typeof claims.nbf === 'number' && claims.nbf > now + 10) return inactive
    // As IdentityServer: disabling or deleting a client ends its tokens' validity too.
    if (typeof claims.client_id !== 'string') return inactive
    const owner = await this.options.clients.findClient(claims.client_id)
    if (!owner?.enabled) return inactive

    if (caller.kind === 'client') {
      if (claims.client_id !== caller.client.clientId) return inactive
      return { ...claims, active: true, token_type: tokenType }
    }
    // A refresh token is the client's business only; no API is its audience.
    if (tokenType === refreshTokenType) return inactive
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
    if (!audiences.includes(caller.api.name)) return inactive
    // An API learns only the scopes that concern it.
    const own = new Set(caller.api.scopes)
    const scope = String(claims.scope ?? '')
      .split(' ')
      .filter((name) => own.has(name))
      .join(' ')
    return { ...claims, scope, active: true, token_type: tokenType }
  }

  private async authenticate(
    presented: PresentedCredentials,
    request: IntrospectionRequest,
  ): Promise<Caller> {
    if (presented.method === 'none') throw invalidClient('introspection requires authentication', false)
    if (presented.method === 'client_secret_basic' || presented.method === 'client_secret_post') {
      // An API resource or a client: one throttled comparison for both (RFC 7662 §2.1).
      const id = presented.clientId
      requireIdentifierLength('client_id', id)
      const [apis, client] = await Promise.all([
        this.options.resources.findApiResourcesByName([id]),
        this.options.clients.findClient(id),
      ])
      const api = apis.find((r) => r.name === id && r.enabled)
      const now = this.options.clock.now()
      const caller = await this.options.authenticator.verifySecret(presented, request, client, () =>
        api && matchesSharedSecret(api.apiSecrets, presented.secret, now) ? api : undefined,
      )
      return 'method' in caller ? { kind: 'client', client: caller.client } : { kind: 'api', api: caller }
    }
    const { client } = await this.options.authenticator.verify(
      presented,
      request,
      assertionAudiences(request.issuer, request.endpointUrl),
    )
    return { kind: 'client', client }
  }

  /** A live (unconsumed, unexpired) refresh token as introspection claims, marked by its token_type. */
  private async refreshToken(token: string): Promise<JWTPayload | undefined> {
    if (looksLikeJwt(token)) return undefined
    const grant = await this.options.grants.get(refreshTokenKey(token))
    if (!grant || grant.type !== refreshTokenType || grant.consumedAt !== undefined) return undefined
    const data = readRefreshTokenData(grant)
    if (!data) return undefined
    return {
      iss: data.issuer,
      sub: grant.subjectId,
      client_id: grant.clientId,
      scope: data.scopes.join(' '),
      iat: Math.floor(grant.createdAt / 1000),
      exp: Math.floor(grant.expiresAt / 1000),
      token_type: refreshTokenType,
    }
  }

  private async lookup(token: string, issuer: string): Promise<JWTPayload | undefined> {
    if (looksLikeJwt(token)) return this.options.verifier.verify(token, issuer)
    const found = await findReferenceToken(this.options.grants, token, this.options.clock.now())
    return found?.claims
  }
}
