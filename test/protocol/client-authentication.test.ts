import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { client } from '../../core/models/client.ts'
import {
  ClientAuthenticator,
  type CredentialSource,
  jwtBearerAssertionType,
  readCredentials,
} from '../../core/protocol/client-authentication.ts'
import { clientAuthenticationThrottle } from '../../core/protocol/client-authentication-throttle.ts'
import { ConfigurationCache } from '../../core/protocol/configuration-cache.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import { RequestParameters } from '../../core/protocol/request-parameters.ts'
import { confidentialClient, type Fixture, memoryStores } from './fixtures.ts'

const aud = 'https://id.example.test/connect/token'
const source = (
  params: Record<string, string>,
  authorization?: string,
  query?: string,
): CredentialSource => ({
  params: RequestParameters.fromEntries(params),
  authorization,
  query: query === undefined ? undefined : new URLSearchParams(query),
})
const basicHeader = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`

async function oauthError(promise: Promise<unknown> | (() => unknown)): Promise<OAuthError> {
  try {
    await (typeof promise === 'function' ? promise() : promise)
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError)
    return error as OAuthError
  }
  throw new Error('expected an OAuthError')
}

describe('readCredentials', () => {
  test('Basic credentials are form-decoded halves (RFC 6749 §2.3.1)', () => {
    expect(readCredentials(source({}, basicHeader('my+client:p%40ss%3Aword')))).toEqual({
      method: 'client_secret_basic',
      clientId: 'my client',
      secret: 'p@ss:word',
    })
  })

  test('the Basic scheme name is case-insensitive; other schemes are not credentials', () => {
    expect(readCredentials(source({}, `bAsIc ${Buffer.from('a:b').toString('base64')}`))?.method).toBe(
      'client_secret_basic',
    )
    expect(readCredentials(source({}, 'Bearer abc'))).toBeUndefined()
  })

  test('client_secret_post, private_key_jwt and none', () => {
    expect(readCredentials(source({ client_id: 'a', client_secret: 'b' }))?.method).toBe('client_secret_post')
    expect(readCredentials(source({ client_id: 'a' }))?.method).toBe('none')
    expect(readCredentials(source({}))).toBeUndefined()
  })

  test('two methods at once, or a secret in the query, are invalid_request', async () => {
    const twice = source({ client_id: 'a', client_secret: 'b' }, basicHeader('a:b'))
    expect((await oauthError(() => readCredentials(twice))).error).toBe('invalid_request')
    const inQuery = source({ client_id: 'a' }, undefined, 'client_secret=b')
    expect((await oauthError(() => readCredentials(inQuery))).error).toBe('invalid_request')
  })

  test('a body client_id that differs from the Basic one is invalid_request', async () => {
    const mismatch = source({ client_id: 'other' }, basicHeader('a:b'))
    expect((await oauthError(() => readCredentials(mismatch))).error).toBe('invalid_request')
    expect(readCredentials(source({ client_id: 'a' }, basicHeader('a:b')))?.clientId).toBe('a')
  })

  test('malformed Basic headers are invalid_client with a Basic challenge', async () => {
    for (const header of [
      'Basic',
      'Basic ***',
      basicHeader('nocolon'),
      basicHeader(':x'),
      basicHeader('a:%zz'),
    ]) {
      const error = await oauthError(() => readCredentials(source({}, header)))
      expect(error.error).toBe('invalid_client')
      expect(error.status).toBe(401)
      expect(error.headers['WWW-Authenticate']).toStartWith('Basic')
    }
  })
})

describe('ClientAuthenticator', () => {
  let fixture: Fixture
  let authenticator: ClientAuthenticator
  let signingKey: CryptoKey

  beforeEach(async () => {
    fixture = await memoryStores()
    const { clients } = fixture.stores.configuration
    const { privateKey, publicKey } = await generateKeyPair('ES256')
    signingKey = privateKey
    await clients.upsert(confidentialClient({ clientId: 'conf' }))
    await clients.upsert(client({ clientId: 'pub', requireClientSecret: false }))
    await clients.upsert(confidentialClient({ clientId: 'off', enabled: false }))
    await clients.upsert(
      client({
        clientId: 'jwt',
        clientSecrets: [{ type: 'JsonWebKey', value: JSON.stringify(await exportJWK(publicKey)) }],
      }),
    )
    authenticator = new ClientAuthenticator({
      clients: new ConfigurationCache(fixture.stores.configuration, { clock: fixture.clock }),
      replay: fixture.stores.operational.replay,
      clock: fixture.clock,
      throttle: clientAuthenticationThrottle({
        store: 'memory',
        replay: fixture.stores.operational.replay,
        clock: fixture.clock,
        rule: { limit: 2, windowSeconds: 60 },
      }),
    })
  })
  afterEach(() => fixture.close())

  const assertion = (claims: Record<string, unknown> = {}) => {
    const now = Math.floor(fixture.clock.now() / 1000)
    return new SignJWT({ iss: 'jwt', sub: 'jwt', aud, exp: now + 60, jti: crypto.randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(signingKey)
  }
  const withAssertion = (jwt: string) =>
    source({ client_assertion_type: jwtBearerAssertionType, client_assertion: jwt })

  test('the right shared secret authenticates with the method used', async () => {
    const result = await authenticator.authenticate(source({}, basicHeader('conf:secret-0123456789')), [aud])
    expect(result).toMatchObject({ method: 'client_secret_basic', client: { clientId: 'conf' } })
  })

  test('a wrong secret, a disabled or unknown client is invalid_client', async () => {
    for (const raw of ['conf:wrong', 'off:secret-0123456789', 'ghost:secret-0123456789']) {
      const error = await oauthError(authenticator.authenticate(source({}, basicHeader(raw)), [aud]))
      expect(error.error).toBe('invalid_client')
    }
  })

  test('a public client authenticates with none; a confidential one cannot', async () => {
    expect((await authenticator.authenticate(source({ client_id: 'pub' }), [aud])).method).toBe('none')
    expect((await oauthError(authenticator.authenticate(source({ client_id: 'conf' }), [aud]))).error).toBe(
      'invalid_client',
    )
  })

  test('private_key_jwt verifies the signature, audience and expiry, and spends the jti', async () => {
    const jwt = await assertion()
    expect((await authenticator.authenticate(withAssertion(jwt), [aud])).method).toBe('private_key_jwt')
    await oauthError(authenticator.authenticate(withAssertion(jwt), [aud]))
    await oauthError(authenticator.authenticate(withAssertion(await assertion({ aud: 'https://x' })), [aud]))
    await oauthError(
      authenticator.authenticate(
        withAssertion(await assertion({ exp: Math.floor(fixture.clock.now() / 1000) - 60 })),
        [aud],
      ),
    )
  })

  test('a client without a registered key cannot use private_key_jwt', async () => {
    const now = Math.floor(fixture.clock.now() / 1000)
    const jwt = await new SignJWT({ iss: 'conf', sub: 'conf', aud, exp: now + 60, jti: 'j' })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(signingKey)
    expect((await oauthError(authenticator.authenticate(withAssertion(jwt), [aud]))).error).toBe(
      'invalid_client',
    )
  })

  test('after repeated failures the client is refused without checking, then allowed when the window ends', async () => {
    const wrong = source({}, basicHeader('conf:wrong'))
    const right = source({}, basicHeader('conf:secret-0123456789'))
    await oauthError(authenticator.authenticate(wrong, [aud]))
    await oauthError(authenticator.authenticate(wrong, [aud]))
    const throttled = await oauthError(authenticator.authenticate(right, [aud]))
    expect(throttled.error).toBe('invalid_client')
    expect(throttled.status).toBe(401)
    expect(throttled.headers['WWW-Authenticate']).toStartWith('Basic')
    const wait = Number(throttled.headers['Retry-After'])
    expect(wait).toBeGreaterThan(0)
    expect(wait).toBeLessThanOrEqual(60)
    fixture.clock.advance(wait * 1000)
    expect((await authenticator.authenticate(right, [aud])).client.clientId).toBe('conf')
  })

  test('a private_key_jwt assertion is not throttled: a signature cannot be guessed', async () => {
    for (let i = 0; i < 3; i++) {
      await oauthError(
        authenticator.authenticate(withAssertion(await assertion({ aud: 'elsewhere' })), [aud]),
      )
    }
    expect((await authenticator.authenticate(withAssertion(await assertion()), [aud])).method).toBe(
      'private_key_jwt',
    )
  })

  test('failures from one address do not lock the client out for another', async () => {
    const wrong = { ...source({}, basicHeader('conf:wrong')), remoteAddress: '203.0.113.9' }
    for (let i = 0; i < 3; i++) await oauthError(authenticator.authenticate(wrong, [aud]))
    const right = { ...source({}, basicHeader('conf:secret-0123456789')), remoteAddress: '198.51.100.1' }
    expect((await authenticator.authenticate(right, [aud])).client.clientId).toBe('conf')
  })
})
