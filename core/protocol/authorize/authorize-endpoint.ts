/**
 * The authorize endpoint's flow (RFC 6749 §4.1, OIDC Core §3.1.2): validate, then sign in,
 * ask consent and issue a code, as the request and the browser session require.
 *
 * Nothing is written to a store for a request nobody has signed in to: while the user logs
 * in or consents, the request travels as an interaction value sealed by the key ring's data
 * protection (purpose-bound, short-lived), which any instance can open and re-validate.
 */
import type { Clock } from '../../clock.ts'
import type { PersistedGrantStore } from '../../stores/operational.ts'
import type { ConfigurationCache } from '../configuration-cache.ts'
import { OAuthError } from '../errors.ts'
import { RequestParameters } from '../request-parameters.ts'
import { selectAudience } from '../resource-validation.ts'
import type { BrowserSession, BrowserSessions, DataProtector } from '../session/browser-session.ts'
import { activeUserClaims, type UserDirectory } from '../user-profile.ts'
import { issueAuthorizationCode } from './authorization-code.ts'
import {
  type AuthorizationResponse,
  codeResponse,
  errorAuthorizationResponse,
} from './authorization-response.ts'
import { type AuthorizeParameterReader, plainRequest } from './authorize-parameters.ts'
import {
  type AuthorizeRequest,
  authorizeParameterNames,
  type ErrorDestination,
  errorDestination,
  resolveRedirect,
  validateAuthorizeRequest,
} from './authorize-request.ts'
import { consentedScopes, rememberConsent, rememberedScopes } from './consent.ts'
import { needsConsent, needsLogin, withoutUnconsentedOfflineAccess } from './interaction.ts'
import type { RequestProvenance } from './pushed-request-store.ts'

/** What the HTTP layer does next. */
export type AuthorizeOutcome =
  /** The client or redirect URI cannot be trusted: show an error page, redirect nowhere. */
  | { kind: 'untrusted'; error: OAuthError }
  /** Send the authorization response (a code or an error) to the client. */
  | { kind: 'respond'; response: AuthorizationResponse }
  /** Show the login page, then come back with `interaction`. */
  | { kind: 'login'; interaction: string }
  /** Show the consent page for `interaction`. */
  | { kind: 'consent'; interaction: string }

/** A validated request resumed from its interaction value. */
export interface PendingAuthorization {
  request: AuthorizeRequest
  destination: ErrorDestination
  interaction: string
}

export interface ConsentDecision {
  allow: boolean
  /** Scopes the user left ticked; required ones are added, anything not requested ignored. */
  scopes: readonly string[]
  remember: boolean
}

export interface IdTokenHintVerifier {
  /** The hint's subject when this server signed it for `clientId`; undefined otherwise. */
  subjectOf(idTokenHint: string, issuer: string, clientId: string): Promise<string | undefined>
}

export interface AuthorizeEndpointOptions {
  configuration: ConfigurationCache
  grants: PersistedGrantStore
  users: UserDirectory
  sessions: BrowserSessions
  protector: DataProtector
  idTokenHints: IdTokenHintVerifier
  clock: Clock
  /** Seconds a user has to log in and consent (default 30 minutes). */
  interactionLifetimeSeconds?: number
  /** Request objects and pushed requests (RFC 9101, RFC 9126); without it both are refused. */
  parameters?: AuthorizeParameterReader | undefined
}

interface SealedInteraction {
  /** The authorize parameters, form-encoded. */
  p: string
  /** Epoch ms when the request first arrived. */
  t: number
  /** How the parameters arrived (pushed, signed), for the requirements checked on every step. */
  v?: RequestProvenance
}

const interactionPurpose = 'authorize-interaction'

export class AuthorizeEndpoint {
  private readonly interactionLifetime: number

  constructor(private readonly options: AuthorizeEndpointOptions) {
    this.interactionLifetime = options.interactionLifetimeSeconds ?? 1800
  }

  /** A request arriving at the authorize endpoint (GET query or POST form). */
  async start(params: RequestParameters, issuer: string, session: BrowserSession | undefined) {
    let read = { params, provenance: plainRequest }
    if (this.options.parameters) {
      try {
        read = await this.options.parameters.read(params, issuer)
      } catch (error) {
        if (error instanceof OAuthError && error.status < 500) return { kind: 'untrusted', error } as const
        throw error
      }
    }
    return this.proceed(read.params, this.options.clock.now(), issuer, session, undefined, read.provenance)
  }

  /** The same request coming back after login. */
  async resume(interaction: string, issuer: string, session: BrowserSession | undefined) {
    const sealed = await this.unseal(interaction)
    if (!sealed) return expired()
    const params = RequestParameters.fromForm(sealed.p)
    return this.proceed(params, sealed.t, issuer, session, interaction, sealed.v ?? plainRequest)
  }

  /** The pending request behind a login or consent page, re-validated; an outcome when it cannot go on. */
  async pending(interaction: string, issuer: string): Promise<PendingAuthorization | AuthorizeOutcome> {
    const sealed = await this.unseal(interaction)
    if (!sealed) return expired()
    const loaded = await this.load(RequestParameters.fromForm(sealed.p), issuer, sealed.v ?? plainRequest)
    return 'kind' in loaded ? loaded : { ...loaded, interaction }
  }

  /** The user's answer on the consent page (OIDC Core §3.1.2.4). */
  async decideConsent(
    interaction: string,
    issuer: string,
    session: BrowserSession | undefined,
    decision: ConsentDecision,
  ): Promise<AuthorizeOutcome> {
    const pending = await this.pending(interaction, issuer)
    if ('kind' in pending) return pending
    const { request, destination } = pending
    // The consent form is only ever shown to a signed-in user; without a session, log in again.
    if (!session) return { kind: 'login', interaction }
    if (!decision.allow) {
      return this.error(destination, new OAuthError('access_denied', 'the user denied the request'), issuer)
    }
    const chosen = consentedScopes(request.requested, decision.scopes)
    if (chosen.length === 0) {
      return this.error(destination, new OAuthError('access_denied', 'the user granted no scope'), issuer)
    }
    const granted = await this.options.configuration.validateScopes(request.client, chosen, {
      identityScopes: true,
    })
    const narrowed: AuthorizeRequest = {
      ...request,
      requested: selectAudience(granted, request.resources, issuer),
    }
    if (decision.remember && request.client.allowRememberConsent) {
      await rememberConsent(
        this.options.grants,
        this.options.clock,
        session.subjectId,
        request.client,
        chosen,
      )
    }
    return this.issue(narrowed, destination, issuer, session)
  }

  private async proceed(
    params: RequestParameters,
    requestedAt: number,
    issuer: string,
    session: BrowserSession | undefined,
    interaction: string | undefined,
    provenance: RequestProvenance,
  ): Promise<AuthorizeOutcome> {
    const loaded = await this.load(params, issuer, provenance)
    if ('kind' in loaded) return loaded
    const { request, destination } = loaded
    try {
      const hintedSubject = request.idTokenHint
        ? await this.hintedSubject(request.idTokenHint, issuer, request.client.clientId)
        : undefined
      const userActive = session ? await this.isActive(session, request) : false
      const now = this.options.clock.now()
      const prompt = request.prompt
      if (needsLogin({ request, session, userActive, hintedSubject, requestedAt, now }) || !session) {
        if (prompt.has('none')) throw new OAuthError('login_required', 'the user must sign in')
        return {
          kind: 'login',
          interaction: interaction ?? (await this.seal(params, requestedAt, provenance)),
        }
      }
      const remembered = await rememberedScopes(
        this.options.grants,
        session.subjectId,
        request.client.clientId,
      )
      if (needsConsent(request, remembered)) {
        if (prompt.has('none')) throw new OAuthError('consent_required', 'the user must consent')
        return {
          kind: 'consent',
          interaction: interaction ?? (await this.seal(params, requestedAt, provenance)),
        }
      }
      return await this.issue(
        withoutUnconsentedOfflineAccess(request, remembered),
        destination,
        issuer,
        session,
      )
    } catch (error) {
      if (error instanceof OAuthError && error.status < 500) return this.error(destination, error, issuer)
      throw error
    }
  }

  /** Validates both steps; an outcome when the request cannot go on. */
  private async load(
    params: RequestParameters,
    issuer: string,
    provenance: RequestProvenance,
  ): Promise<{ request: AuthorizeRequest; destination: ErrorDestination } | AuthorizeOutcome> {
    const { configuration } = this.options
    let trusted: Awaited<ReturnType<typeof resolveRedirect>>
    try {
      trusted = await resolveRedirect(params, configuration)
    } catch (error) {
      if (error instanceof OAuthError && error.status < 500) return { kind: 'untrusted', error }
      throw error
    }
    const destination = errorDestination(params, trusted)
    try {
      this.options.parameters?.checkRequirements(trusted.client, provenance)
      const request = await validateAuthorizeRequest(params, trusted, { issuer, lookups: configuration })
      return { request, destination }
    } catch (error) {
      if (error instanceof OAuthError && error.status < 500) return this.error(destination, error, issuer)
      throw error
    }
  }

  private async issue(
    request: AuthorizeRequest,
    destination: ErrorDestination,
    issuer: string,
    session: BrowserSession,
  ): Promise<AuthorizeOutcome> {
    const { client } = request
    const code = await issueAuthorizationCode(
      this.options.grants,
      this.options.clock,
      {
        clientId: client.clientId,
        subjectId: session.subjectId,
        sessionId: session.sessionId,
        lifetimeSeconds: client.authorizationCodeLifetime,
      },
      {
        issuer,
        redirectUri: request.redirectUri,
        scopes: request.requested.scopes,
        resources: request.resources,
        codeChallenge: request.codeChallenge,
        dpopJkt: request.dpopJkt,
        nonce: request.nonce,
        authTime: session.authTime,
        amr: session.amr,
        claims: request.claims,
        userClaims: session.claims,
      },
    )
    await this.options.sessions.addClient(session, client.clientId)
    return { kind: 'respond', response: codeResponse(destination, code, issuer) }
  }

  private error(destination: ErrorDestination, error: OAuthError, issuer: string): AuthorizeOutcome {
    return { kind: 'respond', response: errorAuthorizationResponse(destination, error, issuer) }
  }

  private async isActive(session: BrowserSession, request: AuthorizeRequest): Promise<boolean> {
    const asked = {
      scopes: request.requested.scopes,
      clientId: request.client.clientId,
      caller: 'authorize',
    } as const
    return (
      (await activeUserClaims(this.options.users, session.subjectId, session.claims, asked)) !== undefined
    )
  }

  private async hintedSubject(hint: string, issuer: string, clientId: string): Promise<string> {
    const subject = await this.options.idTokenHints.subjectOf(hint, issuer, clientId)
    if (subject === undefined)
      throw new OAuthError('invalid_request', 'id_token_hint is not a valid ID Token for this client')
    return subject
  }

  private seal(
    params: RequestParameters,
    requestedAt: number,
    provenance: RequestProvenance,
  ): Promise<string> {
    const kept = new URLSearchParams()
    for (const name of authorizeParameterNames) {
      for (const value of params.getAll(name)) kept.append(name, value)
    }
    const sealed: SealedInteraction = { p: kept.toString(), t: requestedAt, v: provenance }
    return this.options.protector.protect(interactionPurpose, sealed, this.interactionLifetime)
  }

  private async unseal(interaction: string): Promise<SealedInteraction | undefined> {
    const sealed = await this.options.protector.unprotect<SealedInteraction>(interactionPurpose, interaction)
    return typeof sealed?.p === 'string' && typeof sealed.t === 'number' ? sealed : undefined
  }
}

function expired(): AuthorizeOutcome {
  return {
    kind: 'untrusted',
    error: new OAuthError(
      'invalid_request',
      'this sign-in request has expired; return to the application and start again',
    ),
  }
}
