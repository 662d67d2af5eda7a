/**
 * The token endpoint over HTTP (RFC 6749 §3.2, §4.4, §5): client authentication, the client
 * credentials grant, JWT and reference access tokens, and the endpoint's error contract.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { decodeProtectedHeader, generateKeyPair } from 'jose'
import { grantKey } from '../../core/stores/handles.ts'
import { clientAssertion, jwtBearer } from './assertion-jwt.ts'
import { expectNoStore, expectOAuthError } from './assertions.ts'
import { basic, form, json, paths, verifyAsRelyingParty } from './http.ts'
import { api1, api2, issuer, type PorticoUnderTest, secrets, startPortico } from './portico.ts'

let portico: PorticoUnderTest
beforeAll(async () => {
  portico = await startPortico()
})
afterAll(() => portico.close())

const m2m = () => ({ authorization: basic('m2m', secrets.m2m) })
const token = (body: Record<string, string> | string, headers: Record<string, string> = m2m()) =>
  form(portico, paths.token, body, headers)

describe('client_credentials', () => {
  test('issues an RFC 9068 JWT that verifies against the JWKS, and nothing else', async () => {
    const response = await token({ grant_type: 'client_credentials', scope: 'api1.read' })
    expect(response.status).toBe(200)
    expectNoStore(response)
    const body = await json(response)
    expect(body.token_type).toBe('Bearer')
    expect(body.expires_in).toBe(3600)
    expect(body.scope).toBe('api1.read')
    // RFC 6749 §4.4.3: no refresh token; no user, so no id_token.
    expect(body.refresh_token).toBeUndefined()
    expect(body.id_token).toBeUndefined()

    const { payload, protectedHeader } = await verifyAsRelyingParty(
      portico,
      body.access_token as string,
      api1,
    )
    expect(protectedHeader.typ).toBe('at+jwt')
    expect(protectedHeader.alg).toBe('ES256')
    expect(protectedHeader.kid).toBeString()
    expect(payload.iss).toBe(issuer)
    expect(payload.sub).toBe('m2m')
    expect(payload.client_id).toBe('m2m')
    expect(payload.aud).toBe(api1)
    expect(payload.scope).toBe('api1.read')
    expect(payload.iat).toBe(Math.floor(portico.clock.now() / 1000))
    expect(payload.nbf).toBe(payload.iat!)
    expect(payload.exp).toBe(payload.iat! + 3600)
    expect(payload.jti!.length).toBeGreaterThanOrEqual(22)
    expect(payload.client_tier).toBe('gold')
    expect(payload.auth_time).toBeUndefined()
  })

  test('without scope grants every allowed API scope, never identity or disabled ones', async () => {
    const body = await json(await token({ grant_type: 'client_credentials' }))
    expect((body.scope as string).split(' ').sort()).toEqual(['api1.read', 'api1.write', 'api2', 'orphan'])
    const { payload } = await verifyAsRelyingParty(portico, body.access_token as string)
    expect(payload.aud).toEqual([api1, api2])
  })

  test('a scope without an API resource gets the static <issuer>/resources audience', async () => {
    const body = await json(await token({ grant_type: 'client_credentials', scope: 'orphan' }))
    const { payload } = await verifyAsRelyingParty(portico, body.access_token as string)
    expect(payload.aud).toBe(`${issuer}/resources`)
  })

  test('an API resource restricted to RS256 gets an RS256 token', async () => {
    const body = await json(await token({ grant_type: 'client_credentials', scope: 'api2' }))
    expect(decodeProtectedHeader(body.access_token as string).alg).toBe('RS256')
    await verifyAsRelyingParty(portico, body.access_token as string, api2)
  })

  test('RFC 8707 resource narrows the audience and the scopes', async () => {
    const body = await json(
      await token({ grant_type: 'client_credentials', scope: 'api1.read api2', resource: api1 }),
    )
    expect(body.scope).toBe('api1.read')
    const { payload } = await verifyAsRelyingParty(portico, body.access_token as string)
    expect(payload.aud).toBe(api1)
  })

  test('several resource values give several audiences', async () => {
    const both = `grant_type=client_credentials&scope=api1.read+api2&resource=${encodeURIComponent(api1)}&resource=${encodeURIComponent(api2)}`
    const body = await json(await token(both))
    const { payload } = await verifyAsRelyingParty(portico, body.access_token as string)
    expect(payload.aud).toEqual([api1, api2])
  })

  test('resource that is not an absolute URI, unknown, or outside the scopes is invalid_target', async () => {
    for (const resource of ['api1', `${api1}#frag`, 'https://unknown.example.com']) {
      await expectOAuthError(
        await token({ grant_type: 'client_credentials', scope: 'api1.read', resource }),
        400,
        'invalid_target',
      )
    }
    await expectOAuthError(
      await token({ grant_type: 'client_credentials', scope: 'api1.read', resource: api2 }),
      400,
      'invalid_target',
    )
  })

  test('scopes the client may not have, unknown, disabled or identity scopes are invalid_scope', async () => {
    for (const scope of ['api1.read profile', 'nope', 'disabled.scope', 'openid', 'api1.read "quoted"']) {
      await expectOAuthError(await token({ grant_type: 'client_credentials', scope }), 400, 'invalid_scope')
    }
  })

  test('unknown parameters are ignored', async () => {
    const response = await token({ grant_type: 'client_credentials', scope: 'api1.read', foo: 'bar' })
    expect(response.status).toBe(200)
  })

  test('a reference client gets a 256-bit handle; only its hash is stored', async () => {
    const response = await form(
      portico,
      paths.token,
      { grant_type: 'client_credentials', scope: 'api1.read' },
      { authorization: basic('reference', secrets.reference) },
    )
    const body = await json(response)
    const handle = body.access_token as string
    expect(handle).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.expires_in).toBe(600)
    const { grants } = portico.stores.operational
    expect(await grants.get(handle)).toBeUndefined()
    const stored = await grants.get(grantKey(handle, 'reference_token'))
    expect(stored?.clientId).toBe('reference')
    expect(stored?.data).not.toContain(handle)
  })

  test('issuing a JWT access token writes nothing to the operational store', async () => {
    await token({ grant_type: 'client_credentials' })
    expect(await portico.stores.operational.grants.getAll({ clientId: 'm2m' })).toEqual([])
  })
})

describe('client authentication', () => {
  test('client_secret_post', async () => {
    const response = await token(
      { grant_type: 'client_credentials', client_id: 'm2m', client_secret: secrets.m2m },
      {},
    )
    expect(response.status).toBe(200)
  })

  test('client_secret_basic form-decodes the id and secret (RFC 6749 §2.3.1)', async () => {
    const response = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic('spaced id', secrets.spaced) },
    )
    expect(response.status).toBe(200)
    expect(
      (await verifyAsRelyingParty(portico, (await json(response)).access_token as string)).payload.client_id,
    ).toBe('spaced id')
  })

  test('a wrong Basic secret is 401 invalid_client with a Basic challenge', async () => {
    const response = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic('other', 'wrong') },
    )
    expect(response.headers.get('www-authenticate')).toStartWith('Basic')
    await expectOAuthError(response, 401, 'invalid_client')
  })

  test('a wrong posted secret is 401 invalid_client without a challenge', async () => {
    const response = await token(
      { grant_type: 'client_credentials', client_id: 'other', client_secret: 'wrong' },
      {},
    )
    expect(response.headers.get('www-authenticate')).toBeNull()
    await expectOAuthError(response, 401, 'invalid_client')
  })

  test('unknown, disabled and expired-secret clients are invalid_client', async () => {
    for (const [id, secret] of [
      ['nobody', 'whatever'],
      ['disabled', 'disabled-secret-0123456789'],
      ['expired', 'expired-secret-0123456789'],
    ] as const) {
      await expectOAuthError(
        await token({ grant_type: 'client_credentials' }, { authorization: basic(id, secret) }),
        401,
        'invalid_client',
      )
    }
  })

  test('no client authentication at all is invalid_client', async () => {
    await expectOAuthError(await token({ grant_type: 'client_credentials' }, {}), 401, 'invalid_client')
  })

  test('two authentication methods in one request is invalid_request', async () => {
    await expectOAuthError(
      await token({ grant_type: 'client_credentials', client_id: 'm2m', client_secret: secrets.m2m }),
      400,
      'invalid_request',
    )
  })

  test('a client secret in the query string is refused', async () => {
    const response = await portico.app.request(`${issuer}${paths.token}?client_secret=${secrets.m2m}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...m2m() },
      body: 'grant_type=client_credentials',
    })
    await expectOAuthError(response, 400, 'invalid_request')
  })

  test('private_key_jwt (RFC 7523) authenticates once per jti', async () => {
    const assertion = await clientAssertion(portico)
    const body = {
      grant_type: 'client_credentials',
      client_assertion_type: jwtBearer,
      client_assertion: assertion,
    }
    const first = await token(body, {})
    expect(first.status).toBe(200)
    const { payload } = await verifyAsRelyingParty(portico, (await json(first)).access_token as string)
    expect(payload.client_id).toBe('signed')
    // RFC 7523 §3 item 7: a replayed jti is refused.
    await expectOAuthError(await token(body, {}), 401, 'invalid_client')
  })

  test('private_key_jwt: a malformed registered key is skipped, never a 5xx, and the good one still works', async () => {
    const clients = portico.stores.configuration.clients
    const signed = (await clients.findClientById('signed'))!
    // As an admin tool could write it: garbage beside the real key.
    const garbage = ['[]', '{"kty":1}', 'null', '"key"'].map((value) => ({
      type: 'JsonWebKey' as const,
      value,
    }))
    await clients.upsert({ ...signed, clientSecrets: [...garbage, ...signed.clientSecrets] })
    portico.clock.advance(61_000)
    try {
      const body = {
        grant_type: 'client_credentials',
        client_assertion_type: jwtBearer,
        client_assertion: await clientAssertion(portico),
      }
      expect((await token(body, {})).status).toBe(200)
    } finally {
      await clients.upsert(signed)
      portico.clock.advance(61_000)
    }
  })

  test('private_key_jwt: the issuer is an accepted audience too', async () => {
    const body = {
      grant_type: 'client_credentials',
      client_assertion_type: jwtBearer,
      client_assertion: await clientAssertion(portico, { aud: issuer }),
    }
    expect((await token(body, {})).status).toBe(200)
  })

  test('private_key_jwt: wrong audience, no exp, no or non-string jti, iat in the future, expired, foreign key or mismatched iss are refused', async () => {
    const { privateKey: stranger } = await generateKeyPair('ES256')
    const bad = [
      await clientAssertion(portico, { aud: 'https://elsewhere.example/token' }),
      await clientAssertion(portico, { expiresIn: null }),
      await clientAssertion(portico, { jti: null }),
      await clientAssertion(portico, { jti: 42 }),
      await clientAssertion(portico, { issuedIn: 3600, expiresIn: 3660 }),
      await clientAssertion(portico, { expiresIn: -120 }),
      await clientAssertion(portico, { key: stranger }),
      await clientAssertion(portico, { iss: 'm2m' }),
      'not-a-jwt',
    ]
    // Within the clock tolerance an iat a few seconds ahead is fine.
    const skewed = await clientAssertion(portico, { issuedIn: 5 })
    const fine = {
      grant_type: 'client_credentials',
      client_assertion_type: jwtBearer,
      client_assertion: skewed,
    }
    expect((await token(fine, {})).status).toBe(200)
    for (const assertion of bad) {
      const body = {
        grant_type: 'client_credentials',
        client_assertion_type: jwtBearer,
        client_assertion: assertion,
      }
      await expectOAuthError(await token(body, {}), 401, 'invalid_client')
    }
  })

  test('private_key_jwt: clientAssertion.maxLifetime sets how far ahead an assertion may expire', async () => {
    const longer = await startPortico({ config: { clientAssertion: { maxLifetime: 3600 } } })
    try {
      const body = async (expiresIn: number) => ({
        grant_type: 'client_credentials',
        client_assertion_type: jwtBearer,
        client_assertion: await clientAssertion(longer, { expiresIn }),
      })
      expect((await form(longer, paths.token, await body(3000), {})).status).toBe(200)
      await expectOAuthError(await form(longer, paths.token, await body(7200), {}), 401, 'invalid_client')
    } finally {
      await longer.close()
    }
  })

  test('private_key_jwt: a missing assertion type is invalid_request, a wrong one invalid_client', async () => {
    const assertion = await clientAssertion(portico)
    await expectOAuthError(
      await token({ grant_type: 'client_credentials', client_assertion: assertion }, {}),
      400,
      'invalid_request',
    )
    await expectOAuthError(
      await token(
        { grant_type: 'client_credentials', client_assertion: assertion, client_assertion_type: 'urn:x' },
        {},
      ),
      401,
      'invalid_client',
    )
  })

  test('repeated failures are throttled with Retry-After, even for the right secret, then allowed again', async () => {
    const wrong = { authorization: basic('other', 'guess') }
    for (let i = 0; i < 5; i++) await token({ grant_type: 'client_credentials' }, wrong)
    const locked = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic('other', secrets.other) },
    )
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    await expectOAuthError(locked, 401, 'invalid_client')
    // Refused until the window ends, whatever the secret.
    portico.clock.advance(Number(locked.headers.get('retry-after')) * 1000)
    expect(
      (await token({ grant_type: 'client_credentials' }, { authorization: basic('other', secrets.other) }))
        .status,
    ).toBe(200)
  })
})

describe('token endpoint errors', () => {
  test('a client_id or a scope over 200 characters is invalid_request; 200 is an unknown client', async () => {
    const long = 'c'.repeat(201)
    await expectOAuthError(
      await token({ grant_type: 'client_credentials', client_id: long, client_secret: 'x' }, {}),
      400,
      'invalid_request',
    )
    await expectOAuthError(
      await token({ grant_type: 'client_credentials' }, { authorization: basic(long, 'x') }),
      400,
      'invalid_request',
    )
    await expectOAuthError(
      await token({ grant_type: 'client_credentials', scope: `api1.read ${'s'.repeat(201)}` }),
      400,
      'invalid_request',
    )
    await expectOAuthError(
      await token({ grant_type: 'client_credentials', client_id: 'c'.repeat(200), client_secret: 'x' }, {}),
      401,
      'invalid_client',
    )
  })

  test('a missing grant_type is invalid_request', async () => {
    await expectOAuthError(await token({ scope: 'api1.read' }), 400, 'invalid_request')
  })

  test('an unknown grant type is unsupported_grant_type', async () => {
    await expectOAuthError(await token({ grant_type: 'urn:example:magic' }), 400, 'unsupported_grant_type')
  })

  test('echoed input never takes error_description outside its RFC 6749 §5.2 characters', async () => {
    await expectOAuthError(await token({ grant_type: 'urn:été:"\\' }), 400, 'unsupported_grant_type')
    await expectOAuthError(
      await token({ grant_type: 'client_credentials', resource: 'https://ünknown.example/"x"' }),
      400,
      'invalid_target',
    )
  })

  test('a grant the client is not allowed is unauthorized_client', async () => {
    await expectOAuthError(
      await token(
        { grant_type: 'client_credentials' },
        { authorization: basic('code-only', 'code-only-secret-0123456789') },
      ),
      400,
      'unauthorized_client',
    )
  })

  test('a public client cannot use client_credentials', async () => {
    await expectOAuthError(
      await token({ grant_type: 'client_credentials', client_id: 'public' }, {}),
      400,
      'unauthorized_client',
    )
  })

  test('a repeated parameter is invalid_request (RFC 6749 §3.2)', async () => {
    await expectOAuthError(
      await token('grant_type=client_credentials&scope=api1.read&scope=api2'),
      400,
      'invalid_request',
    )
  })

  test('methods other than POST are 405 with a JSON error and Allow', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const response = await portico.app.request(`${issuer}${paths.token}`, { method })
      expect(response.headers.get('allow')).toBe('POST')
      await expectOAuthError(response, 405, 'invalid_request')
    }
  })

  test('a body that is not form-encoded is 415', async () => {
    for (const type of [
      'application/json',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded; charset=iso-8859-1',
    ]) {
      const response = await portico.app.request(`${issuer}${paths.token}`, {
        method: 'POST',
        headers: { 'content-type': type, ...m2m() },
        body: 'grant_type=client_credentials',
      })
      await expectOAuthError(response, 415, 'invalid_request')
    }
  })

  test('a body over 64 KB is 413, whether its length is declared or streamed', async () => {
    const big = `grant_type=client_credentials&padding=${'x'.repeat(70 * 1024)}`
    const declared = await portico.app.request(`${issuer}${paths.token}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(big.length),
        ...m2m(),
      },
      body: big,
    })
    await expectOAuthError(declared, 413, 'invalid_request')
    const chunk = new TextEncoder().encode('x'.repeat(8 * 1024))
    let sent = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++
        controller.enqueue(chunk)
      },
    })
    const streamed = await portico.app.request(`${issuer}${paths.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...m2m() },
      body: endless,
      duplex: 'half',
    } as RequestInit)
    await expectOAuthError(streamed, 413, 'invalid_request')
    // Reading stopped at the limit instead of buffering the whole stream.
    expect(sent).toBeLessThan(20)
  })

  test('a declared Content-Length that is not a number is invalid_request', async () => {
    const response = await portico.app.request(`${issuer}${paths.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '12abc', ...m2m() },
      body: 'grant_type=client_credentials',
    })
    expect(response.status).toBe(400)
  })

  test('form-encoded with charset=UTF-8 is accepted', async () => {
    const response = await portico.app.request(`${issuer}${paths.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', ...m2m() },
      body: 'grant_type=client_credentials',
    })
    expect(response.status).toBe(200)
  })
})
