/**
 * What an authorization request still needs from the user (OIDC Core §3.1.2.3, §3.1.2.4):
 * a login, a consent, or nothing. Pure decisions over the request, the browser session and
 * remembered consent; the endpoint acts on them.
 */
import { offlineAccessScope } from '../scopes.ts'
import type { BrowserSession } from '../session/browser-session.ts'
import type { AuthorizeRequest } from './authorize-request.ts'

export interface LoginCheck {
  request: AuthorizeRequest
  session: BrowserSession | undefined
  /** Whether the session's user is still allowed to sign in (exists, enabled). */
  userActive: boolean
  /** The subject of a verified `id_token_hint`, if one was sent. */
  hintedSubject?: string | undefined
  /** Epoch ms when this authorization request first reached the server. */
  requestedAt: number
  /** Epoch ms. */
  now: number
}

/** True when the user must (re-)authenticate before the request can go on. */
export function needsLogin(check: LoginCheck): boolean {
  const { request, session } = check
  if (!session || !check.userActive) return true
  if (check.hintedSubject !== undefined && check.hintedSubject !== session.subjectId) return true
  // A login after the request began satisfies prompt=login and max_age, so the flow cannot loop.
  const freshLogin = session.authTime >= Math.floor(check.requestedAt / 1000)
  if ((request.prompt.has('login') || request.prompt.has('select_account')) && !freshLogin) return true
  if (request.maxAge !== undefined && !freshLogin) {
    if (Math.floor(check.now / 1000) - session.authTime > request.maxAge) return true
  }
  return false
}

/**
 * True when the consent page must be shown. OIDC Core §11: a refresh token for offline access
 * needs consent received now (prompt=consent) or given before, even from a client that does
 * not otherwise ask for consent.
 */
export function needsConsent(
  request: AuthorizeRequest,
  remembered: ReadonlySet<string> | undefined,
): boolean {
  const offline = request.requested.scopes.includes(offlineAccessScope)
  if (request.prompt.has('consent')) return request.client.requireConsent || offline
  if (!request.client.requireConsent) return false
  return !remembered || !request.requested.scopes.every((scope) => remembered.has(scope))
}

/**
 * The request without offline_access unless the user consented to it before (OIDC Core §11:
 * the OP "MUST ignore the offline_access request" without consent). For requests that go on
 * without the consent page.
 */
export function withoutUnconsentedOfflineAccess(
  request: AuthorizeRequest,
  remembered: ReadonlySet<string> | undefined,
): AuthorizeRequest {
  const { requested } = request
  if (!requested.scopes.includes(offlineAccessScope) || remembered?.has(offlineAccessScope)) return request
  return {
    ...request,
    requested: {
      ...requested,
      scopes: requested.scopes.filter((scope) => scope !== offlineAccessScope),
      identityResources: requested.identityResources.filter((r) => r.name !== offlineAccessScope),
    },
  }
}
