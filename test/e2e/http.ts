/**
 * Requests as a client sends them, and verification as a relying party does it (jose against
 * the published JWKS).
 */
import { createLocalJWKSet, type JWTPayload, type JWTVerifyResult, jwtVerify } from 'jose'
import type { PorticoUnderTest } from './portico.ts'
import { issuer } from './portico.ts'

export const paths = {
  token: '/connect/token',
  introspection: '/connect/introspect',
  revocation: '/connect/revocation',
  discovery: '/.well-known/openid-configuration',
  jwks: '/.well-known/openid-configuration/jwks',
}

/** RFC 6749 §2.3.1: each half form-encoded, then Basic. */
export function basic(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+')
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`
}

export function form(
  portico: PorticoUnderTest,
  path: string,
  body: Record<string, string> | string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(
    portico.app.request(`${issuer}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: typeof body === 'string' ? body : new URLSearchParams(body).toString(),
    }),
  )
}

export async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>
}

/** Verifies an access token as an RP would: signature from the JWKS, typ, issuer, audience. */
export async function verifyAsRelyingParty(
  portico: PorticoUnderTest,
  token: string,
  audience?: string,
): Promise<JWTVerifyResult<JWTPayload>> {
  const jwks = (await (await portico.app.request(`${issuer}${paths.jwks}`)).json()) as Parameters<
    typeof createLocalJWKSet
  >[0]
  return jwtVerify(token, createLocalJWKSet(jwks), {
    issuer,
    typ: 'at+jwt',
    currentDate: new Date(portico.clock.now()),
    ...(audience ? { audience } : {}),
  })
}
