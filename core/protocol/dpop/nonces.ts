/**
 * RFC 9449 §8 server nonces that every instance accepts without sharing state: a nonce is a
 * value sealed with the key ring's data protection (purpose-bound, expiring), so any instance
 * that reads the key ring can check one another instance issued. Each instance hands out one
 * nonce at a time and renews it after `renewAfterSeconds`; a nonce stays valid for
 * `lifetimeSeconds`, so a client holding the previous one is not turned away.
 */
import type { Clock } from '../../clock.ts'

/** The key ring's data protection, or anything that seals and opens values the same way. */
export interface NonceProtector {
  protect(purpose: string, payload: unknown, ttlSeconds: number): Promise<string>
  unprotect<T>(purpose: string, token: string): Promise<T | undefined>
}

export interface DPoPNonceOptions {
  /** Seconds a nonce is accepted (default 300). */
  lifetimeSeconds?: number
  /** Seconds after which this instance hands out a new nonce (default 60). */
  renewAfterSeconds?: number
}

const purpose = 'dpop-nonce'
/** A sealed nonce is a compact JWE of ~200 characters; anything much longer is not ours. */
const maxNonceLength = 1024

export class DPoPNonces {
  private issued: { nonce: Promise<string>; at: number } | undefined
  private readonly lifetimeSeconds: number
  private readonly renewAfterMs: number

  constructor(
    private readonly protector: NonceProtector,
    private readonly clock: Clock,
    options: DPoPNonceOptions = {},
  ) {
    this.lifetimeSeconds = options.lifetimeSeconds ?? 300
    this.renewAfterMs = (options.renewAfterSeconds ?? 60) * 1000
  }

  /** The nonce to send in `DPoP-Nonce` now. */
  current(): Promise<string> {
    const now = this.clock.now()
    if (!this.issued || now - this.issued.at >= this.renewAfterMs) {
      const nonce = this.protector.protect(purpose, 1, this.lifetimeSeconds)
      // A failed seal is not cached: the next request tries again.
      nonce.catch(() => {
        if (this.issued?.nonce === nonce) this.issued = undefined
      })
      this.issued = { nonce, at: now }
    }
    return this.issued.nonce
  }

  /** True when the nonce was issued by an instance of this deployment and has not expired. */
  async isValid(nonce: string): Promise<boolean> {
    if (nonce.length > maxNonceLength) return false
    return (await this.protector.unprotect<number>(purpose, nonce)) === 1
  }
}
