/** RFC 9101 request objects: verification and how claims become parameters (request-object.ts). */
import { describe, expect, test } from 'bun:test'
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { client } from '../../../core/models/client.ts'
import {
  RequestObjectVerifier,
  requestObjectAlgorithms,
} from '../../../core/protocol/authorize/request-object.ts'
import { OAuthError } from '../../../core/protocol/errors.ts'
import { TestClock } from '../fixtures.ts'

const issuer = 'https://id.example.test'
const jar = client({ clientId: 'jar' })
const clock = new TestClock()
const now = () => Math.floor(clock.now() / 1000)

const { privateKey, publicKey } = await generateKeyPair('ES256')
const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1' }
const verifier = new RequestObjectVerifier({
  keySetOf: (c) => (c === jar ? createLocalJWKSet({ keys: [jwk] }) : undefined),
  clock,
})

function sign(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  return new SignJWT({ iss: 'jar', aud: issuer, iat: now(), exp: now() + 60, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', ...header })
    .sign(privateKey)
}

async function refusal(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(OAuthError)
  return error as OAuthError
}

describe('RequestObjectVerifier', () => {
  test('claims become parameters: numbers as text, objects as JSON, arrays repeated, JWT claims dropped', async () => {
    const params = await verifier.verify(
      await sign({
        response_type: 'code',
        max_age: 300,
        claims: { id_token: { email: { essential: true } } },
        resource: ['https://a.example', 'https://b.example'],
        jti: 'x',
      }),
      jar,
      issuer,
    )
    expect(params.get('response_type')).toBe('code')
    expect(params.get('max_age')).toBe('300')
    expect(JSON.parse(params.get('claims')!)).toEqual({ id_token: { email: { essential: true } } })
    expect(params.getAll('resource')).toEqual(['https://a.example', 'https://b.example'])
    expect(params.get('client_id')).toBe('jar')
    for (const name of ['iss', 'aud', 'exp', 'iat', 'jti']) expect(params.has(name)).toBe(false)
  })

  test('only asymmetric algorithms are listed', () => {
    expect(requestObjectAlgorithms).toContain('ES256')
    expect(requestObjectAlgorithms).toContain('PS256')
    expect(requestObjectAlgorithms.some((alg) => alg === 'none' || alg.startsWith('HS'))).toBe(false)
  })

  test('refusals are invalid_request_object', async () => {
    const cases = [
      sign({ aud: 'https://elsewhere.example' }),
      sign({ iss: 'someone-else' }),
      sign({ client_id: 'someone-else' }),
      sign({ exp: now() - 11 }),
      sign({ iat: now() + 60, exp: now() + 120 }),
      sign({ request: 'x' }),
      sign({ nested: [1, 2] }),
      sign({}, { typ: 'at+jwt' }),
      Promise.resolve('not-a-jwt'),
      Promise.resolve('a.b.c.d.e'),
    ]
    for (const requestObject of cases) {
      const error = await refusal(verifier.verify(await requestObject, jar, issuer))
      expect(error.error).toBe('invalid_request_object')
      expect(error.status).toBe(400)
    }
  })

  test('a client with no registered key cannot send one', async () => {
    const error = await refusal(
      verifier.verify(await sign({ iss: 'other' }), client({ clientId: 'other' }), issuer),
    )
    expect(error.error).toBe('invalid_request_object')
  })

  test('clock skew of 10 s is tolerated on exp', async () => {
    const params = await verifier.verify(await sign({ exp: now() - 5, state: 's' }), jar, issuer)
    expect(params.get('state')).toBe('s')
  })
})
