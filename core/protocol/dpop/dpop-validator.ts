/**
 * RFC 9449 §4.3 DPoP proof validation with the state it needs: the proof's stateless checks
 * (proof.ts), then the server nonce (§8, §9) when one is required or presented, then single
 * use of its `jti` through the operational store's replay cache, so a proof replayed at any
 * instance is refused. Refusals are the endpoint's own: 400 at the token endpoint (§5),
 * 401 with a DPoP challenge at a resource (§7.1, §9).
 */
import type { Clock } from '../../clock.ts'
import { grantKey } from '../../stores/handles.ts'
import type { ReplayCache } from '../../stores/operational.ts'
import { OAuthError } from '../errors.ts'
import { dpopAlgsAttribute } from './algorithms.ts'
import type { DPoPNonces } from './nonces.ts'
import { InvalidProof, verifyProof } from './proof.ts'

/** What a valid proof binds a token to: the thumbprint of its key (RFC 9449 §6.1 `cnf.jkt`). */
export interface DPoPBinding {
  jkt: string
  /**
   * RFC 9449 §8.2, §9: where a nonce was required, the one to send in the answer's `DPoP-Nonce`,
   * so the client has the next nonce without a `use_dpop_nonce` round trip.
   */
  nonce?: string | undefined
}

export interface DPoPValidatorOptions {
  replay: ReplayCache
  clock: Clock
  /** Seconds a proof's iat may lie from now, either way (`dpop.proofWindowSeconds`, default 300). */
  windowSeconds?: number
  /** Server nonces; without them a proof carrying a nonce is refused. */
  nonces?: DPoPNonces | undefined
  /** `dpop.nonces`: every proof must carry a server nonce (else per client, `requireDPoPNonce`). */
  requireNonces?: boolean
}

export interface DPoPRequest {
  /** The DPoP header as received (several headers arrive joined by commas). */
  header: string | undefined
  method: string
  /** The endpoint's URL under the issuer. */
  url: string
  /** The access token presented with the proof (resource access): its `ath` is checked. */
  accessToken?: string | undefined
  /** The client asks for nonces (`requireDPoPNonce`). */
  requireNonce?: boolean
}

/** Where the proof was presented: the error's status and shape differ (RFC 9449 §5, §7.1). */
export type DPoPEndpoint = 'token' | 'resource'

export const defaultProofWindowSeconds = 300

export class DPoPValidator {
  readonly windowSeconds: number

  constructor(private readonly options: DPoPValidatorOptions) {
    this.windowSeconds = options.windowSeconds ?? defaultProofWindowSeconds
  }

  /** The binding of a valid proof; an OAuthError for the endpoint otherwise. */
  async validate(request: DPoPRequest, at: DPoPEndpoint): Promise<DPoPBinding> {
    const { header } = request
    // RFC 9449 §4.3 items 1-2: exactly one DPoP header holding one JWT (a JWT has no comma).
    if (header === undefined || header.length === 0)
      throw dpopError(at, 'invalid_dpop_proof', 'a DPoP proof is required')
    if (header.includes(',')) throw dpopError(at, 'invalid_dpop_proof', 'exactly one DPoP header is allowed')
    let proof: Awaited<ReturnType<typeof verifyProof>>
    try {
      proof = await verifyProof(header.trim(), {
        method: request.method,
        url: request.url,
        now: this.options.clock.now(),
        windowSeconds: this.windowSeconds,
        accessToken: request.accessToken,
      })
    } catch (error) {
      if (error instanceof InvalidProof) throw dpopError(at, 'invalid_dpop_proof', error.message)
      throw error
    }
    const nonceRequired = Boolean(this.options.requireNonces || request.requireNonce)
    await this.checkNonce(proof.nonce, nonceRequired, at)
    // RFC 9449 §11.1: each proof once, scoped by its key; remembered for as long as its iat is accepted.
    const until = (proof.iat + this.windowSeconds) * 1000
    const fresh = await this.options.replay.addIfAbsent(
      grantKey(JSON.stringify([proof.jkt, proof.jti]), 'dpop_proof'),
      Math.max(until, this.options.clock.now() + 1000),
    )
    if (!fresh) throw dpopError(at, 'invalid_dpop_proof', 'the DPoP proof was already used')
    // checkNonce has refused a required nonce when there are no nonces.
    if (!nonceRequired || !this.options.nonces) return { jkt: proof.jkt }
    return { jkt: proof.jkt, nonce: await this.options.nonces.current() }
  }

  /** RFC 9449 §8 (token endpoint) and §9 (resources): `use_dpop_nonce` with a new nonce. */
  private async checkNonce(nonce: string | undefined, required: boolean, at: DPoPEndpoint): Promise<void> {
    const nonces = this.options.nonces
    if (nonce === undefined && !required) return
    if (!nonces) throw dpopError(at, 'invalid_dpop_proof', 'this server issues no DPoP nonces')
    if (nonce !== undefined && (await nonces.isValid(nonce))) return
    const description =
      nonce === undefined ? 'a DPoP nonce is required' : 'the DPoP nonce is invalid or expired'
    throw dpopError(at, 'use_dpop_nonce', description, await nonces.current())
  }
}

/** The error for a refused proof: JSON 400 at the token endpoint, 401 with a DPoP challenge at a resource. */
export function dpopError(
  at: DPoPEndpoint,
  error: 'invalid_dpop_proof' | 'use_dpop_nonce' | 'invalid_token',
  description: string,
  nonce?: string,
): OAuthError {
  const headers: Record<string, string> = nonce ? { 'DPoP-Nonce': nonce } : {}
  if (at === 'token') return new OAuthError(error, description, 400, headers)
  headers['WWW-Authenticate'] = dpopChallenge(error, description)
  return new OAuthError(error, description, 401, headers)
}

/** RFC 9449 §7.1: the DPoP authentication scheme's challenge with the accepted algorithms. */
export function dpopChallenge(error?: string, description?: string, scope?: string): string {
  const parts: string[] = []
  if (error) parts.push(`error="${error}"`)
  if (description) parts.push(`error_description="${description.replace(/["\\]/g, '')}"`)
  // RFC 6750 §3 `scope`, which the DPoP scheme shares (RFC 9449 §7.1), e.g. with insufficient_scope.
  if (scope) parts.push(`scope="${scope}"`)
  parts.push(`algs="${dpopAlgsAttribute}"`)
  return `DPoP ${parts.join(', ')}`
}
