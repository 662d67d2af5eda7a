/**
 * `id_token_hint` at the end-session endpoint (OIDC RP-Initiated Logout 1.0 §2): an ID Token
 * this OP issued, naming the client (`aud`), the user (`sub`) and the session (`sid`). The OP
 * MUST check it issued it; an expired one still identifies them (§4: logout after the ID Token
 * expired is the usual case), so only signature, issuer and explicit type are checked.
 */
import type { KeyRing } from '../../keys/key-ring.ts'

export interface LogoutHint {
  clientId: string
  subjectId: string
  sessionId?: string | undefined
}

export interface LogoutHintVerifier {
  /** The hint's client, user and session when this server signed it as an ID Token; undefined otherwise. */
  verify(idTokenHint: string, issuer: string): Promise<LogoutHint | undefined>
}

export function logoutHintVerifier(keys: Pick<KeyRing, 'verify'>): LogoutHintVerifier {
  return {
    async verify(idTokenHint, issuer) {
      try {
        // The epoch as "now" accepts any exp (id-token-hint.ts); typ JWT refuses access and logout tokens.
        const { payload } = await keys.verify(idTokenHint, { issuer, typ: 'JWT', currentDate: new Date(0) })
        const clientId = audienceOf(payload.aud, payload.azp)
        if (clientId === undefined || typeof payload.sub !== 'string') return undefined
        const sessionId = typeof payload.sid === 'string' ? payload.sid : undefined
        return { clientId, subjectId: payload.sub, sessionId }
      } catch {
        return undefined
      }
    },
  }
}

/** OIDC Core §2: `aud` names the client; with several audiences `azp` says which one. */
function audienceOf(aud: unknown, azp: unknown): string | undefined {
  if (typeof aud === 'string') return aud
  if (!Array.isArray(aud)) return undefined
  if (typeof azp === 'string' && aud.includes(azp)) return azp
  return aud.length === 1 && typeof aud[0] === 'string' ? aud[0] : undefined
}
