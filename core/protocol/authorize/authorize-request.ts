/**
 * Validation of an authorization request (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2.1), in
 * the order the RFCs require: the client and its redirect URI first, since until both are
 * trusted an error must never be sent anywhere (RFC 6749 §4.1.2.1); every later error goes
 * back to the client's redirect URI.
 */
import type { Client } from '../../models/client.ts'
import { readDPoPJkt } from '../dpop/authorization-binding.ts'
import { OAuthError } from '../errors.ts'
import type { RequestParameters } from '../request-parameters.ts'
import { type Audience, selectAudience } from '../resource-validation.ts'
import { type GrantedResources, parseScope } from '../scopes.ts'
import { type ClaimsRequest, parseClaimsRequest } from './claims-request.ts'
import { type CodeChallenge, readCodeChallenge } from './pkce.ts'
import { isRegisteredRedirectUri } from './redirect-uri.ts'

export type ResponseMode = 'query' | 'fragment' | 'form_post'
export type Prompt = 'none' | 'login' | 'consent' | 'select_account'

export const responseModes: readonly ResponseMode[] = ['query', 'fragment', 'form_post']
export const promptValues: readonly Prompt[] = ['none', 'login', 'consent', 'select_account']
const displayValues = ['page', 'popup', 'touch', 'wap']

/** The parameters a request is resumed from after login or consent; anything else is dropped. */
export const authorizeParameterNames = [
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'nonce',
  'prompt',
  'max_age',
  'login_hint',
  'id_token_hint',
  'acr_values',
  'ui_locales',
  'claims',
  'display',
  'code_challenge',
  'code_challenge_method',
  'resource',
  'dpop_jkt',
] as const

export interface AuthorizeRequest {
  client: Client
  redirectUri: string
  responseMode: ResponseMode
  state?: string | undefined
  nonce?: string | undefined
  /** Scopes asked for and allowed, with the resources they reach (RFC 8707 narrowed). */
  requested: Audience
  /** RFC 8707 `resource` values, kept for the token request. */
  resources: string[]
  codeChallenge?: CodeChallenge | undefined
  /** RFC 9449 §10: the DPoP key the code is bound to. */
  dpopJkt?: string | undefined
  prompt: ReadonlySet<Prompt>
  /** Seconds (OIDC Core §3.1.2.1). */
  maxAge?: number | undefined
  loginHint?: string | undefined
  idTokenHint?: string | undefined
  acrValues: string[]
  uiLocales?: string | undefined
  claims?: ClaimsRequest | undefined
}

/** Where an error may be sent once the redirect URI is trusted. */
export interface ErrorDestination {
  redirectUri: string
  responseMode: ResponseMode
  state?: string | undefined
}

export interface TrustedRedirect {
  client: Client
  redirectUri: string
}

export interface AuthorizeLookups {
  findClient(clientId: string): Promise<Client | undefined>
  validateScopes(
    client: Client,
    requested: readonly string[] | undefined,
    options: { identityScopes: boolean },
  ): Promise<GrantedResources>
}

/**
 * Step one: the client and redirect URI. Throws an OAuthError that must be shown to the user
 * as a page, never redirected (RFC 6749 §4.1.2.1, RFC 9700 §4.1.1).
 */
export async function resolveRedirect(
  params: RequestParameters,
  lookups: Pick<AuthorizeLookups, 'findClient'>,
): Promise<TrustedRedirect> {
  const clientId = params.get('client_id')
  if (clientId === undefined) throw new OAuthError('invalid_request', 'the client_id parameter is missing')
  const client = await lookups.findClient(clientId)
  if (!client?.enabled) throw new OAuthError('invalid_request', 'the client is unknown or disabled')
  const redirectUri = params.get('redirect_uri')
  // OIDC Core §3.1.2.1 requires redirect_uri; requiring it always keeps the token request's check simple.
  if (redirectUri === undefined)
    throw new OAuthError('invalid_request', 'the redirect_uri parameter is missing')
  if (!isRegisteredRedirectUri(client.redirectUris, redirectUri)) {
    throw new OAuthError('invalid_request', 'the redirect_uri is not registered for this client')
  }
  return { client, redirectUri }
}

/** Where errors of step two go: the trusted redirect URI, in the asked-for mode when it is valid. */
export function errorDestination(params: RequestParameters, trusted: TrustedRedirect): ErrorDestination {
  const mode = leniently(() => params.get('response_mode'))
  return {
    redirectUri: trusted.redirectUri,
    responseMode: responseModes.includes(mode as ResponseMode) ? (mode as ResponseMode) : 'query',
    state: leniently(() => params.get('state')),
  }
}

/** Step two: everything else. Errors thrown here are redirected to the client. */
export async function validateAuthorizeRequest(
  params: RequestParameters,
  trusted: TrustedRedirect,
  context: { issuer: string; lookups: AuthorizeLookups },
): Promise<AuthorizeRequest> {
  const { client, redirectUri } = trusted
  // Reading every parameter once up front makes a repeated one an invalid_request (RFC 6749 §3.1).
  for (const name of authorizeParameterNames) if (name !== 'resource') params.get(name)

  // The authorize endpoint and the PAR endpoint read `request` and `request_uri` out before this
  // (authorize-parameters.ts, RFC 9101 / RFC 9126); one still here was not taken (OIDC Core §6 codes).
  if (params.has('request'))
    throw new OAuthError('request_not_supported', 'request objects are not supported')
  if (params.has('request_uri')) {
    throw new OAuthError('request_uri_not_supported', 'request_uri is not supported')
  }
  const responseType = params.get('response_type')
  if (responseType === undefined)
    throw new OAuthError('invalid_request', 'the response_type parameter is missing')
  if (responseType !== 'code') {
    throw new OAuthError('unsupported_response_type', 'only response_type=code is supported')
  }
  if (!client.allowedGrantTypes.includes('authorization_code')) {
    throw new OAuthError('unauthorized_client', 'the client may not use the authorization code flow')
  }
  const responseMode = params.get('response_mode') ?? 'query'
  if (!responseModes.includes(responseMode as ResponseMode)) {
    throw new OAuthError('invalid_request', 'response_mode must be query, fragment or form_post')
  }

  const scopes = parseScope(params.get('scope'))
  if (scopes === undefined) throw new OAuthError('invalid_scope', 'the scope parameter is missing')
  const granted = await context.lookups.validateScopes(client, scopes, { identityScopes: true })
  const resources = params.getAll('resource')
  const requested = selectAudience(granted, resources, context.issuer)
  const openid = requested.scopes.includes('openid')

  const prompt = readPrompt(params.get('prompt'))
  const maxAge = readMaxAge(params.get('max_age'))
  const display = params.get('display')
  if (display !== undefined && !displayValues.includes(display)) {
    throw new OAuthError('invalid_request', 'display must be page, popup, touch or wap')
  }
  return {
    client,
    redirectUri,
    responseMode: responseMode as ResponseMode,
    state: params.get('state'),
    nonce: openid ? params.get('nonce') : undefined,
    requested,
    resources,
    codeChallenge: readCodeChallenge(
      client,
      params.get('code_challenge'),
      params.get('code_challenge_method'),
    ),
    dpopJkt: readDPoPJkt(params.get('dpop_jkt')),
    prompt,
    maxAge,
    loginHint: params.get('login_hint'),
    idTokenHint: openid ? params.get('id_token_hint') : undefined,
    acrValues: params.get('acr_values')?.split(' ').filter(Boolean) ?? [],
    uiLocales: params.get('ui_locales'),
    claims: openid ? parseClaimsRequest(params.get('claims')) : undefined,
  }
}

function readPrompt(value: string | undefined): Set<Prompt> {
  const prompt = new Set<Prompt>()
  if (value === undefined) return prompt
  for (const item of value.split(' ')) {
    if (item === '') continue
    if (!promptValues.includes(item as Prompt))
      throw new OAuthError('invalid_request', 'unsupported prompt value')
    prompt.add(item as Prompt)
  }
  // OIDC Core §3.1.2.1: none with any other value is an error.
  if (prompt.has('none') && prompt.size > 1) {
    throw new OAuthError('invalid_request', 'prompt=none cannot be combined with other values')
  }
  return prompt
}

function readMaxAge(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d{1,10}$/.test(value))
    throw new OAuthError('invalid_request', 'max_age must be a non-negative integer')
  return Number(value)
}

function leniently(read: () => string | undefined): string | undefined {
  try {
    return read()
  } catch {
    return undefined
  }
}
