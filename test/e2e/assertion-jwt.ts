/** RFC 7523 client assertions as a `private_key_jwt` client builds them. */
import { randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import type { PorticoUnderTest } from './portico.ts'
import { issuer } from './portico.ts'

export interface AssertionOverrides {
  aud?: string
  /** Seconds from the portico clock's now. */
  expiresIn?: number | null
  /** A number to test that a jti must be a string. */
  jti?: string | number | null
  /** iat in seconds from the portico clock's now (default 0). */
  issuedIn?: number
  iss?: string
  sub?: string
  alg?: string
  key?: CryptoKey
}

export function clientAssertion(
  portico: PorticoUnderTest,
  overrides: AssertionOverrides = {},
): Promise<string> {
  const now = Math.floor(portico.clock.now() / 1000)
  const claims: Record<string, unknown> = {
    iss: overrides.iss ?? 'signed',
    sub: overrides.sub ?? 'signed',
    aud: overrides.aud ?? `${issuer}/connect/token`,
    iat: now + (overrides.issuedIn ?? 0),
  }
  if (overrides.expiresIn !== null) claims.exp = now + (overrides.expiresIn ?? 60)
  if (overrides.jti !== null) claims.jti = overrides.jti ?? randomUUID()
  return new SignJWT(claims)
    .setProtectedHeader({ alg: overrides.alg ?? 'ES256', kid: portico.clientKey.kid })
    .sign(overrides.key ?? portico.clientKey.privateKey)
}

export const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
