/**
 * RFC 7662 introspection and RFC 7009 revocation over HTTP, for JWT and reference tokens.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { grantKey } from '../../core/stores/handles.ts'
import { clientAssertion, jwtBearer } from './assertion-jwt.ts'
import { expectNoStore, expectOAuthError } from './assertions.ts'
import { basic, form, json, paths } from './http.ts'
import { api1, issuer, type PorticoUnderTest, secrets, startPortico } from './portico.ts'

let portico: PorticoUnderTest
beforeAll(async () => {
  portico = await startPortico()
})
afterAll(() => portico.close())

const as = {
  api1: { authorization: basic(api1, secrets.api1) },
  api2: { authorization: basic('https://api2.example.com', secrets.api2) },
  m2m: { authorization: basic('m2m', secrets.m2m) },
  reference: { authorization: basic('reference', secrets.reference) },
  other: { authorization: basic('other', secrets.other) },
}

async function issue(client: keyof typeof as, scope = 'api1.read'): Promise<string> {
  const body = await json(
    await form(portico, paths.token, { grant_type: 'client_credentials', scope }, as[client]),
  )
  return body.access_token as string
}

const introspect = (token: string, caller: Record<string, string>, extra: Record<string, string> = {}) =>
  form(portico, paths.introspection, { token, ...extra }, caller)
const revoke = (token: string, caller: Record<string, string>, extra: Record<string, string> = {}) =>
  form(portico, paths.revocation, { token, ...extra }, caller)

describe('introspection', () => {
  test('an API resource learns a JWT meant for it, with only its own scopes', async () => {
    const jwt = await issue('m2m', 'api1.read api2')
    const response = await introspect(jwt, as.api1)
    expect(response.status).toBe(200)
    expectNoStore(response)
    const body = await json(response)
    expect(body.active).toBe(true)
    expect(body.client_id).toBe('m2m')
    expect(body.sub).toBe('m2m')
    expect(body.scope).toBe('api1.read')
    expect(body.iss).toBe('https://id.example.test')
    expect(body.exp).toBeNumber()
  })

  test('an API resource learns a reference token meant for it', async () => {
    const handle = await issue('reference')
    const body = await json(await introspect(handle, as.api1, { token_type_hint: 'access_token' }))
    expect(body.active).toBe(true)
    expect(body.client_id).toBe('reference')
    expect(body.aud).toBe(api1)
    expect(body.scope).toBe('api1.read')
  })

  test('a token for another API is {"active":false} and nothing else', async () => {
    expect(await json(await introspect(await issue('m2m'), as.api2))).toEqual({ active: false })
    expect(await json(await introspect(await issue('reference'), as.api2))).toEqual({ active: false })
  })

  test('unknown, malformed and tampered tokens are {"active":false}', async () => {
    const jwt = await issue('m2m')
    const [h, p, s] = jwt.split('.')
    const tampered = `${h}.${p}.${s!.slice(0, -4)}AAAA`
    for (const token of ['nope', 'a.b.c', tampered, 'x'.repeat(43)]) {
      expect(await json(await introspect(token, as.api1))).toEqual({ active: false })
    }
  })

  test('an expired token is {"active":false}', async () => {
    const handle = await issue('reference')
    const jwt = await issue('m2m')
    portico.clock.advance(3601 * 1000)
    try {
      expect(await json(await introspect(handle, as.api1))).toEqual({ active: false })
      expect(await json(await introspect(jwt, as.api1))).toEqual({ active: false })
    } finally {
      portico.clock.advance(-3601 * 1000)
    }
  })

  test('a client may introspect its own tokens only', async () => {
    const handle = await issue('reference')
    expect((await json(await introspect(handle, as.reference))).active).toBe(true)
    expect(await json(await introspect(handle, as.other))).toEqual({ active: false })
  })

  test('a private_key_jwt client introspects with an assertion for the token or introspection endpoint', async () => {
    const assertion = (aud?: string) => clientAssertion(portico, aud ? { aud } : {})
    const issued = await json(
      await form(portico, paths.token, {
        grant_type: 'client_credentials',
        client_assertion_type: jwtBearer,
        client_assertion: await assertion(),
      }),
    )
    for (const aud of [`${issuer}${paths.token}`, `${issuer}${paths.introspection}`]) {
      const response = await form(portico, paths.introspection, {
        token: issued.access_token as string,
        client_assertion_type: jwtBearer,
        client_assertion: await assertion(aud),
      })
      expect((await json(response)).active).toBe(true)
    }
  })

  test('tokens of a client disabled or deleted since are {"active":false}, as IdentityServer', async () => {
    const clients = portico.stores.configuration.clients
    const handle = await issue('other')
    const jwt = await json(
      await form(
        portico,
        paths.token,
        { grant_type: 'client_credentials' },
        {
          authorization: basic('spaced id', secrets.spaced),
        },
      ),
    )
    const other = (await clients.findClientById('other'))!
    const spaced = (await clients.findClientById('spaced id'))!
    expect((await json(await introspect(handle, as.api1))).active).toBe(true)
    expect((await json(await introspect(jwt.access_token as string, as.api1))).active).toBe(true)
    await clients.upsert({ ...other, enabled: false })
    await clients.remove('spaced id')
    // Past the configuration cache's TTL, so every instance sees the change.
    portico.clock.advance(61_000)
    try {
      expect(await json(await introspect(handle, as.api1))).toEqual({ active: false })
      expect(await json(await introspect(jwt.access_token as string, as.api1))).toEqual({ active: false })
    } finally {
      await clients.upsert(other)
      await clients.upsert(spaced)
      portico.clock.advance(61_000)
    }
  })

  test('an unauthenticated or wrongly authenticated caller gets 401, never an answer', async () => {
    const handle = await issue('reference')
    await expectOAuthError(await introspect(handle, {}), 401, 'invalid_client')
    await expectOAuthError(
      await introspect(handle, { authorization: basic(api1, 'wrong') }),
      401,
      'invalid_client',
    )
    await expectOAuthError(await introspect(handle, { authorization: 'Bearer abc' }), 401, 'invalid_client')
  })

  test('a missing token is invalid_request', async () => {
    await expectOAuthError(await form(portico, paths.introspection, {}, as.api1), 400, 'invalid_request')
  })
})

describe('revocation', () => {
  test('the owner revokes a reference token; introspection then says inactive', async () => {
    const handle = await issue('reference')
    const response = await revoke(handle, as.reference, { token_type_hint: 'access_token' })
    expect(response.status).toBe(200)
    expectNoStore(response)
    expect(await response.text()).toBe('')
    expect(await json(await introspect(handle, as.api1))).toEqual({ active: false })
  })

  test('a confidential client naming another client’s live token gets what an unknown token gets: 200, and nothing is revoked', async () => {
    const handle = await issue('reference')
    const live = await revoke(handle, as.other)
    const unknown = await revoke('unknown-token', as.other)
    expect([live.status, await live.text()]).toEqual([200, ''])
    expect([unknown.status, await unknown.text()]).toEqual([200, ''])
    expect((await json(await introspect(handle, as.api1))).active).toBe(true)
  })

  test('a public client naming another client’s token gets 200, so it learns nothing, and nothing is revoked', async () => {
    const handle = await issue('reference')
    const response = await revoke(handle, {}, { client_id: 'public' })
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
    expect((await json(await introspect(handle, as.api1))).active).toBe(true)
  })

  test('an unknown token or a JWT answers 200 (RFC 7009 §2.2)', async () => {
    expect((await revoke('unknown-token', as.reference)).status).toBe(200)
    expect((await revoke(await issue('m2m'), as.m2m)).status).toBe(200)
  })

  test('a refresh token is revoked with the reference access tokens of its grant', async () => {
    const { grants } = portico.stores.operational
    const now = portico.clock.now()
    const refresh = 'refresh-handle-for-test-0123456789abcdefghijk'
    await grants.store({
      key: grantKey(refresh, 'refresh_token'),
      type: 'refresh_token',
      clientId: 'reference',
      subjectId: 'alice',
      sessionId: 's1',
      createdAt: now,
      expiresAt: now + 3_600_000,
      data: '{}',
    })
    const accessKey = grantKey('user-access-token', 'reference_token')
    await grants.store({
      key: accessKey,
      type: 'reference_token',
      clientId: 'reference',
      subjectId: 'alice',
      sessionId: 's1',
      createdAt: now,
      expiresAt: now + 3_600_000,
      data: '{}',
    })
    expect((await revoke(refresh, as.reference, { token_type_hint: 'refresh_token' })).status).toBe(200)
    expect(await grants.get(grantKey(refresh, 'refresh_token'))).toBeUndefined()
    expect(await grants.get(accessKey)).toBeUndefined()
  })

  test('an unauthenticated caller gets 401; a missing token is invalid_request', async () => {
    await expectOAuthError(await revoke('x', {}), 401, 'invalid_client')
    await expectOAuthError(await form(portico, paths.revocation, {}, as.reference), 400, 'invalid_request')
  })

  test('GET is 405', async () => {
    await expectOAuthError(
      await portico.app.request(`https://id.example.test${paths.revocation}`),
      405,
      'invalid_request',
    )
  })
})
