import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createLocalJWKSet, jwtVerify } from 'jose'
import type { KeyRing } from '../../core/keys/key-ring.ts'
import { client } from '../../core/models/client.ts'
import { apiResource } from '../../core/models/resources.ts'
import { AccessTokenIssuer } from '../../core/protocol/tokens/access-token-issuer.ts'
import {
  accessTokenAlgorithm,
  accessTokenClaims,
  signJwtAccessToken,
} from '../../core/protocol/tokens/jwt-access-token.ts'
import { findReferenceToken } from '../../core/protocol/tokens/reference-token.ts'
import { type Fixture, keyRing, memoryStores } from './fixtures.ts'

const issuer = 'https://id.example.test'
let fixture: Fixture
let ring: KeyRing
beforeAll(async () => {
  fixture = await memoryStores()
  ring = await keyRing(fixture)
})
afterAll(async () => {
  ring.close()
  await fixture.close()
})

const base = (overrides: Partial<Parameters<typeof accessTokenClaims>[0]> = {}) => ({
  issuer,
  client: client({ clientId: 'svc', accessTokenLifetime: 120 }),
  audiences: ['https://api.example'],
  scopes: ['a', 'b'],
  now: Date.UTC(2026, 0, 1, 12),
  ...overrides,
})

describe('accessTokenClaims (RFC 9068 §2.2)', () => {
  test('a client-only token: sub is the client_id; times from the clock; a 128-bit jti', () => {
    const claims = accessTokenClaims(base())
    const iat = Date.UTC(2026, 0, 1, 12) / 1000
    expect(claims).toMatchObject({
      iss: issuer,
      sub: 'svc',
      aud: 'https://api.example',
      client_id: 'svc',
      scope: 'a b',
      iat,
      nbf: iat,
      exp: iat + 120,
    })
    expect(claims.jti).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(claims.jti).not.toBe(accessTokenClaims(base()).jti)
    expect(claims.auth_time).toBeUndefined()
  })

  test('several audiences are an array; a user brings sub, auth_time and sid', () => {
    const claims = accessTokenClaims(
      base({ audiences: ['x', 'y'], subjectId: 'alice', authTime: 1_700_000_000, sessionId: 'sid1' }),
    )
    expect(claims).toMatchObject({ aud: ['x', 'y'], sub: 'alice', auth_time: 1_700_000_000, sid: 'sid1' })
  })

  test('client claims are prefixed; extra claims never override protocol claims', () => {
    const withClaims = client({
      clientId: 'svc',
      claims: [
        { type: 'role', value: 'a' },
        { type: 'role', value: 'b' },
      ],
    })
    const claims = accessTokenClaims(base({ client: withClaims, extraClaims: { iss: 'evil', tenant: 't1' } }))
    expect(claims.client_role).toEqual(['a', 'b'])
    expect(claims.iss).toBe(issuer)
    expect(claims.tenant).toBe('t1')
  })
})

describe('accessTokenAlgorithm', () => {
  const restricted = (algs: string[]) => apiResource({ name: 'r', allowedAccessTokenSigningAlgorithms: algs })
  test('the deployment default unless a resource rules it out', () => {
    expect(accessTokenAlgorithm([], 'ES256', ['ES256', 'RS256'])).toBe('ES256')
    expect(accessTokenAlgorithm([restricted(['RS256'])], 'ES256', ['ES256', 'RS256'])).toBe('RS256')
    expect(accessTokenAlgorithm([restricted(['RS256', 'ES256'])], 'ES256', ['ES256', 'RS256'])).toBe('ES256')
  })

  test('resources that share no algorithm are invalid_target', () => {
    expect(() =>
      accessTokenAlgorithm([restricted(['RS256']), restricted(['ES256'])], 'ES256', ['ES256', 'RS256']),
    ).toThrow(expect.objectContaining({ error: 'invalid_target' }))
  })
})

test('signed with the key ring as at+jwt, verifiable with its JWKS', async () => {
  const claims = accessTokenClaims(base({ now: fixture.clock.now() }))
  for (const alg of ['ES256', 'RS256'] as const) {
    const jwt = await signJwtAccessToken(ring, claims, alg)
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(await ring.jwks()), {
      typ: 'at+jwt',
      issuer,
      currentDate: new Date(fixture.clock.now()),
    })
    expect(protectedHeader.alg).toBe(alg)
    expect(payload).toEqual(claims)
  }
})

test('a reference token stores its claims under the handle hash until it expires', async () => {
  const issuerOf = new AccessTokenIssuer({
    signer: ring,
    grants: fixture.stores.operational.grants,
    clock: fixture.clock,
  })
  const issued = await issuerOf.issue({
    issuer,
    client: client({ clientId: 'svc', accessTokenType: 'reference', accessTokenLifetime: 60 }),
    granted: {
      scopes: ['a'],
      apiScopes: [],
      identityResources: [],
      apiResources: [],
      audiences: ['https://api'],
    },
    subjectId: 'alice',
    sessionId: 's1',
  })
  expect(issued.accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
  const found = await findReferenceToken(
    fixture.stores.operational.grants,
    issued.accessToken,
    fixture.clock.now(),
  )
  expect(found?.claims).toMatchObject({ sub: 'alice', client_id: 'svc', aud: 'https://api', sid: 's1' })
  expect(found?.grant).toMatchObject({ subjectId: 'alice', sessionId: 's1', clientId: 'svc' })
  fixture.clock.advance(60_000)
  expect(
    await findReferenceToken(fixture.stores.operational.grants, issued.accessToken, fixture.clock.now()),
  ).toBeUndefined()
})
