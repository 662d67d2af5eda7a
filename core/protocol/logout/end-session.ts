/**
 * The end-session endpoint's decisions (OIDC RP-Initiated Logout 1.0): whether the user must
 * confirm first, and, once they are signed out, where they go and which clients hear of it
 * (Front-Channel Logout 1.0, Back-Channel Logout 1.0). Server-side sessions live in the
 * operational store, so removing the record signs the user out on every instance.
 */
import type { Clock } from '../../clock.ts'
import type { Logger } from '../../logger.ts'
import type { UserSessionStore } from '../../stores/operational.ts'
import type { ConfigurationCache } from '../configuration-cache.ts'
import type { RequestParameters } from '../request-parameters.ts'
import type { BrowserSession } from '../session/browser-session.ts'
import { signLogoutToken } from '../tokens/logout-token.ts'
import type { SigningAlgorithm, TokenSigner } from '../tokens/token-signer.ts'
import type { BackChannelDelivery, BackChannelLogoutNotice } from './back-channel-logout.ts'
import { type EndSessionRequest, postLogoutLocation, readEndSessionRequest } from './end-session-request.ts'
import { frontChannelLogoutUrl } from './front-channel-logout.ts'
import type { LogoutHintVerifier } from './logout-hint.ts'

export interface EndSessionOptions {
  configuration: Pick<ConfigurationCache, 'findClient'>
  hints: LogoutHintVerifier
  sessions: Pick<UserSessionStore, 'remove'>
  signer: TokenSigner
  signingAlgorithms: readonly SigningAlgorithm[]
  backChannel: BackChannelDelivery
  clock: Clock
  logger: Logger
}

export type EndSessionOutcome =
  /** §2: the OP SHOULD ask the user; nothing has happened yet. */
  | { kind: 'confirm'; request: EndSessionRequest }
  /** A valid hint for the browser's own session (or no session): sign out without asking. */
  | { kind: 'logout'; request: EndSessionRequest }

export interface LoggedOut {
  /** The client's registered URI with `state`, when the request named one. */
  postLogoutRedirectUri?: string | undefined
  /** True only when a valid `id_token_hint` identified the client: then the browser goes there unasked. */
  redirect: boolean
  /** Iframe URLs for the session's clients (Front-Channel Logout 1.0 §4). */
  frontChannelLogoutUrls: string[]
  clientName?: string | undefined
}

export class EndSession {
  constructor(private readonly options: EndSessionOptions) {}

  /** The request as it arrives from the relying party; throws `OAuthError` when it cannot be trusted. */
  async start(
    params: RequestParameters,
    issuer: string,
    session: BrowserSession | undefined,
  ): Promise<EndSessionOutcome> {
    const request = await readEndSessionRequest(params, issuer, this.options)
    if (!session) return { kind: 'logout', request }
    const { hint } = request
    // §2: a hint whose sid is not the browser's session is suspect: the user decides.
    const sameSession =
      hint !== undefined &&
      hint.subjectId === session.subjectId &&
      (hint.sessionId === undefined || hint.sessionId === session.sessionId)
    return sameSession ? { kind: 'logout', request } : { kind: 'confirm', request }
  }

  /** The confirmation form's request: no hint travels through it, so it never redirects. */
  async confirmed(params: RequestParameters, issuer: string): Promise<EndSessionRequest> {
    const request = await readEndSessionRequest(params, issuer, this.options)
    // A hint slipped into the form does not turn the confirmation into a redirect.
    request.hint = undefined
    return request
  }

  /** Ends the session everywhere, tells its clients, and says where the user goes next. */
  async logout(
    session: BrowserSession | undefined,
    request: EndSessionRequest,
    issuer: string,
  ): Promise<LoggedOut> {
    const loggedOut: LoggedOut = {
      postLogoutRedirectUri: postLogoutLocation(request),
      // No automatic redirect without a verified hint (§2: an unauthenticated request could
      // otherwise bounce the user anywhere a client registered).
      redirect: request.hint !== undefined && request.postLogoutRedirectUri !== undefined,
      frontChannelLogoutUrls: [],
      clientName: request.client && (request.client.clientName ?? request.client.clientId),
    }
    if (!session) return loggedOut
    await this.options.sessions.remove(session.key)
    const notices: BackChannelLogoutNotice[] = []
    const now = this.options.clock.now()
    for (const clientId of session.clients) {
      const client = await this.options.configuration.findClient(clientId)
      if (!client?.enabled) continue
      const frontChannel = frontChannelLogoutUrl(client, issuer, session.sessionId)
      if (frontChannel) loggedOut.frontChannelLogoutUrls.push(frontChannel)
      if (!client.backChannelLogoutUri) continue
      try {
        const logoutToken = await signLogoutToken(
          this.options.signer,
          { issuer, client, subjectId: session.subjectId, sessionId: session.sessionId, now },
          this.options.signingAlgorithms,
        )
        notices.push({ clientId, uri: client.backChannelLogoutUri, logoutToken })
      } catch (error) {
        // The user is signed out regardless; a client we cannot sign for is logged, not fatal.
        this.options.logger.warn('logout.back_channel_unsigned', {
          client_id: clientId,
          reason: error instanceof Error ? error.message : String(error),
        })
      }
    }
    if (notices.length > 0) this.options.backChannel.send(notices)
    return loggedOut
  }
}
