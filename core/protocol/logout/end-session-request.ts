/**
 * Reading an end-session request (OIDC RP-Initiated Logout 1.0 §2, §3): which client asks,
 * whether its `id_token_hint` is one this OP issued, and whether its
 * `post_logout_redirect_uri` may be used. A URI is used only when it exactly matches one the
 * identified client registered (§3); anything that cannot be trusted is an error for the
 * browser, never a redirect.
 */
import type { Client } from '../../models/client.ts'
import type { ConfigurationCache } from '../configuration-cache.ts'
import { OAuthError } from '../errors.ts'
import { type RequestParameters, requireIdentifierLength } from '../request-parameters.ts'
import type { LogoutHint, LogoutHintVerifier } from './logout-hint.ts'

export interface EndSessionRequest {
  /** The client named by the hint or `client_id`. */
  client?: Client | undefined
  /** A hint this OP signed (only when the request carried one). */
  hint?: LogoutHint | undefined
  /** A URI the client registered, exactly as given. */
  postLogoutRedirectUri?: string | undefined
  state?: string | undefined
  /** §2: accepted; the pages are in one language for now. */
  uiLocales?: string | undefined
}

export interface EndSessionRequestDeps {
  configuration: Pick<ConfigurationCache, 'findClient'>
  hints: LogoutHintVerifier
}

/** Throws `OAuthError` for a request that cannot be trusted. */
export async function readEndSessionRequest(
  params: RequestParameters,
  issuer: string,
  deps: EndSessionRequestDeps,
): Promise<EndSessionRequest> {
  const idTokenHint = params.get('id_token_hint')
  const clientId = params.get('client_id')
  if (clientId !== undefined) requireIdentifierLength('client_id', clientId)
  let hint: LogoutHint | undefined
  if (idTokenHint !== undefined) {
    // §2: the OP MUST validate that it was the issuer of the ID Token.
    hint = await deps.hints.verify(idTokenHint, issuer)
    if (!hint) throw new OAuthError('invalid_request', 'id_token_hint is not an ID Token this server issued')
    // §2: with both, client_id MUST be the client the ID Token was issued to.
    if (clientId !== undefined && clientId !== hint.clientId) {
      throw new OAuthError('invalid_request', 'client_id does not match the id_token_hint')
    }
  }
  const identified = hint?.clientId ?? clientId
  const client = identified === undefined ? undefined : await deps.configuration.findClient(identified)
  if (identified !== undefined && !client?.enabled) {
    throw new OAuthError('invalid_request', 'the client is unknown or disabled')
  }
  const request: EndSessionRequest = {
    client,
    hint,
    state: params.get('state'),
    uiLocales: params.get('ui_locales'),
  }
  const uri = params.get('post_logout_redirect_uri')
  if (uri !== undefined) {
    // §3: used only when the client is known, so the URI can be checked against its registration.
    if (!client) {
      throw new OAuthError('invalid_request', 'post_logout_redirect_uri needs id_token_hint or client_id')
    }
    // §3: exact string match, no normalisation (a trailing slash or added query is another URI).
    if (!client.postLogoutRedirectUris.includes(uri)) {
      throw new OAuthError('invalid_request', 'post_logout_redirect_uri is not registered for this client')
    }
    request.postLogoutRedirectUri = uri
  }
  return request
}

/** The registered URI with `state` appended (§3: "the value of the state parameter"). */
export function postLogoutLocation(request: EndSessionRequest): string | undefined {
  if (!request.postLogoutRedirectUri) return undefined
  if (request.state === undefined) return request.postLogoutRedirectUri
  const url = new URL(request.postLogoutRedirectUri)
  url.searchParams.append('state', request.state)
  return url.toString()
}
