/**
 * RFC 9449 §4.3 checks of one DPoP proof JWT that need nothing but the request: `typ`
 * dpop+jwt, an allowed asymmetric `alg`, a public `jwk` header key that verifies the
 * signature, `htm` and `htu` of this request, `iat` within the window and, at a resource,
 * `ath` of the presented access token. Single use (`jti`) and server nonces are the
 * validator's (dpop-validator.ts); this file does no I/O.
 */
import { base64url, calculateJwkThumbprint, EmbeddedJWK, type JWK, jwtVerify } from 'jose'
import { dpopSigningAlgorithms } from './algorithms.ts'

/** RFC 9449 §4.2: the media type of a DPoP proof. */
export const dpopProofType = 'dpop+jwt'

/** A jti longer than this is refused (it is remembered in the replay cache). */
const maxJtiLength = 512

export interface ProofExpectations {
  /** The request's method (`htm`). */
  method: string
  /** The request's URL under the issuer, without query or fragment (`htu`). */
  url: string
  /** Epoch milliseconds. */
  now: number
  /** How far `iat` may lie from now, either way, in seconds. */
  windowSeconds: number
  /** The access token the request presents (resource access), for `ath`. */
  accessToken?: string | undefined
}

export interface VerifiedProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's public key (the `cnf.jkt` of RFC 9449 §6.1). */
  jkt: string
  jti: string
  /** Epoch seconds. */
  iat: number
  nonce?: string | undefined
}

/** Why a proof was refused; the caller maps it to its endpoint's error (400 or 401). */
export class InvalidProof extends Error {
  override name = 'InvalidProof'
}

const encoder = new TextEncoder()

/** The proof's claims and key thumbprint when every stateless check passes; else InvalidProof. */
export async function verifyProof(proof: string, expected: ProofExpectations): Promise<VerifiedProof> {
  let header: { jwk?: JWK }
  let payload: Record<string, unknown>
  try {
    const verified = await jwtVerify(proof, EmbeddedJWK, {
      typ: dpopProofType,
      algorithms: [...dpopSigningAlgorithms],
      currentDate: new Date(expected.now),
    })
    header = verified.protectedHeader as { jwk?: JWK }
    payload = verified.payload
  } catch (error) {
    throw new InvalidProof(`the DPoP proof is invalid (${(error as { code?: string }).code ?? 'malformed'})`)
  }
  const jwk = header.jwk
  // RFC 9449 §4.3 item 7: the jwk must not hold a private key (EmbeddedJWK imports public keys only).
  if (!jwk || 'd' in jwk || 'k' in jwk) throw new InvalidProof('the DPoP proof jwk is not a public key')
  const { jti, htm, htu, iat, nonce, ath } = payload
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > maxJtiLength) {
    throw new InvalidProof('the DPoP proof lacks a valid jti')
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new InvalidProof('the DPoP proof lacks iat')
  if (nonce !== undefined && (typeof nonce !== 'string' || nonce.length === 0)) {
    throw new InvalidProof('the DPoP proof nonce is not a string')
  }
  if (htm !== expected.method) throw new InvalidProof('the DPoP proof htm does not match the request method')
  if (typeof htu !== 'string' || !sameTarget(htu, expected.url)) {
    throw new InvalidProof('the DPoP proof htu does not match the request URL')
  }
  // RFC 9449 §4.3 item 11 and §11.1: a proof is only accepted close to its creation time.
  if (Math.abs(expected.now / 1000 - iat) > expected.windowSeconds) {
    throw new InvalidProof('the DPoP proof iat is outside the accepted window')
  }
  if (expected.accessToken !== undefined && ath !== (await accessTokenHash(expected.accessToken))) {
    throw new InvalidProof('the DPoP proof ath does not match the access token')
  }
  return { jkt: await calculateJwkThumbprint(jwk, 'sha256'), jti, iat, nonce: nonce as string | undefined }
}

/** RFC 9449 §4.2 `ath`: base64url of the SHA-256 of the access token's ASCII. */
export async function accessTokenHash(accessToken: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(accessToken))))
}

/**
 * RFC 9449 §4.3 item 9: htu matches the request URI without query and fragment, compared after
 * syntax-based normalisation (RFC 3986 §6.2.2–6.2.3: case of scheme and host, default port,
 * percent-encoding), which the WHATWG URL parser performs.
 */
function sameTarget(htu: string, expected: string): boolean {
  const actual = parseTarget(htu)
  return actual !== undefined && actual === parseTarget(expected)
}

function parseTarget(value: string): string | undefined {
  try {
    const url = new URL(value)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
    return `${url.origin}${url.pathname}`
  } catch {
    return undefined
  }
}
