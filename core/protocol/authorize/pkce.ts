/**
 * RFC 7636 Proof Key for Code Exchange: the challenge sent to the authorize endpoint and the
 * verifier checked at the token endpoint.
 */
import { hash, timingSafeEqual } from 'node:crypto'
import type { Client } from '../../models/client.ts'
import { OAuthError } from '../errors.ts'

export type CodeChallengeMethod = 'S256' | 'plain'

export interface CodeChallenge {
  challenge: string
  method: CodeChallengeMethod
}

// RFC 7636 §4.1: 43 to 128 unreserved characters; an S256 challenge is 43 base64url characters.
const verifierSyntax = /^[A-Za-z0-9\-._~]{43,128}$/
const s256Syntax = /^[A-Za-z0-9_-]{43}$/

/**
 * The challenge of an authorize request, or undefined when none was sent and the client may
 * go without (RFC 9700 §2.1.1 makes PKCE the default; `requirePkce` is on unless turned off).
 */
export function readCodeChallenge(
  client: Client,
  challenge: string | undefined,
  method: string | undefined,
): CodeChallenge | undefined {
  if (challenge === undefined) {
    if (method !== undefined)
      throw new OAuthError('invalid_request', 'code_challenge_method without code_challenge')
    if (client.requirePkce) throw new OAuthError('invalid_request', 'code_challenge is required (PKCE)')
    return undefined
  }
  // RFC 7636 §4.3: plain is the default method, but RFC 9700 §2.1.1 wants S256; plain is opt-in.
  const chosen = method ?? 'plain'
  if (chosen === 'S256') {
    if (!s256Syntax.test(challenge)) throw new OAuthError('invalid_request', 'code_challenge is malformed')
    return { challenge, method: 'S256' }
  }
  if (chosen === 'plain') {
    if (!client.allowPlainTextPkce) {
      throw new OAuthError('invalid_request', 'code_challenge_method plain is not allowed; use S256')
    }
    if (!verifierSyntax.test(challenge))
      throw new OAuthError('invalid_request', 'code_challenge is malformed')
    return { challenge, method: 'plain' }
  }
  throw new OAuthError('invalid_request', 'code_challenge_method must be S256')
}

/**
 * Checks the token request's `code_verifier` against the code's challenge (RFC 7636 §4.6).
 * A verifier for a code issued without a challenge is refused too: accepting it would let an
 * attacker strip PKCE from a request and still look like a PKCE client (RFC 9700 §4.8.2).
 */
export function checkCodeVerifier(challenge: CodeChallenge | undefined, verifier: string | undefined): void {
  if (!challenge) {
    if (verifier !== undefined) {
      throw new OAuthError('invalid_grant', 'code_verifier sent for a code issued without code_challenge')
    }
    return
  }
  if (verifier === undefined) throw new OAuthError('invalid_grant', 'code_verifier is required')
  if (!verifierSyntax.test(verifier)) throw new OAuthError('invalid_grant', 'code_verifier is malformed')
  const derived = challenge.method === 'S256' ? hash('sha256', verifier, 'base64url') : verifier
  if (!constantTimeEqual(derived, challenge.challenge)) {
    throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge')
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
