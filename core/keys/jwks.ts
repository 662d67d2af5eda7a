/**
 * The public half of a signing key as published at the JWKS endpoint (RFC 7517 §5). Public
 * members are copied by allow-list, so no private (`d`, `p`, `q`, `dp`, `dq`, `qi`) or
 * symmetric (`k`) member can ever leak, whatever the stored JWK holds.
 */
import type { JWK } from 'jose'

const publicMembers: Record<string, readonly string[]> = {
  RSA: ['kty', 'n', 'e'], // RFC 7518 §6.3.1
  EC: ['kty', 'crv', 'x', 'y'], // RFC 7518 §6.2.1
  OKP: ['kty', 'crv', 'x'], // RFC 8037 §2
}

export function publicJwk(jwk: JWK, kid: string, alg: string): JWK {
  const members = jwk.kty ? publicMembers[jwk.kty] : undefined
  if (!members) throw new TypeError(`key "${kid}" has no public form (kty ${String(jwk.kty)})`)
  const out: JWK = {}
  for (const name of members) {
    const value = (jwk as Record<string, unknown>)[name]
    if (typeof value === 'string') (out as Record<string, unknown>)[name] = value
  }
  return { ...out, kid, alg, use: 'sig' }
}

/** A JSON Web Key Set document (RFC 7517 §5). */
export interface JsonWebKeySet {
  keys: JWK[]
}
