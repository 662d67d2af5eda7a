/**
 * The token service on every store plugin: what touches the stores (configuration lookups,
 * reference tokens, the replay cache, grant removal, store outages) behaves alike on each.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { grantKey } from '../../core/stores/handles.ts'
import { clientAssertion, jwtBearer } from './assertion-jwt.ts'
import { expectOAuthError } from './assertions.ts'
import { backends } from './backends.ts'
import { basic, form, json, paths, verifyAsRelyingParty } from './http.ts'
import { api1, type PorticoUnderTest, secrets, startPortico } from './portico.ts'

for (const backend of backends) {
  describe(`on ${backend.name}`, () => {
    let portico: PorticoUnderTest
    beforeAll(async () => {
      portico = await startPortico({ backend })
    }, 30_000)
    afterAll(() => portico.close())

    const asApi = { authorization: basic(api1, secrets.api1) }
    const asReference = { authorization: basic('reference', secrets.reference) }
    const issueReference = async () =>
      (
        await json(
          await form(
            portico,
            paths.token,
            { grant_type: 'client_credentials', scope: 'api1.read' },
            asReference,
          ),
        )
      ).access_token as string
    const introspect = async (token: string) =>
      json(await form(portico, paths.introspection, { token }, asApi))

    test('client_credentials issues a JWT that verifies against the JWKS', async () => {
      const response = await form(
        portico,
        paths.token,
        { grant_type: 'client_credentials', scope: 'api1.read' },
        { authorization: basic('m2m', secrets.m2m) },
      )
      expect(response.status).toBe(200)
      const { payload } = await verifyAsRelyingParty(
        portico,
        (await json(response)).access_token as string,
        api1,
      )
      expect(payload.client_id).toBe('m2m')
    })

    test('a reference token is introspected, revoked by its owner, then inactive', async () => {
      const handle = await issueReference()
      expect(await portico.stores.operational.grants.get(grantKey(handle, 'reference_token'))).toBeDefined()
      expect(await introspect(handle)).toMatchObject({
        active: true,
        client_id: 'reference',
        scope: 'api1.read',
      })
      expect((await form(portico, paths.revocation, { token: handle }, asReference)).status).toBe(200)
      expect(await introspect(handle)).toEqual({ active: false })
    })

    test('an expired reference token is inactive', async () => {
      const handle = await issueReference()
      portico.clock.advance(601_000)
      try {
        expect(await introspect(handle)).toEqual({ active: false })
      } finally {
        portico.clock.advance(-601_000)
      }
    })

    test('a private_key_jwt assertion is accepted once', async () => {
      const body = {
        grant_type: 'client_credentials',
        client_assertion_type: jwtBearer,
        client_assertion: await clientAssertion(portico),
      }
      expect((await form(portico, paths.token, body)).status).toBe(200)
      await expectOAuthError(await form(portico, paths.token, body), 401, 'invalid_client')
    })

    test('an assertion expiring more than 5 minutes ahead is refused, whatever its exp (RFC 7523 §3)', async () => {
      const within = {
        grant_type: 'client_credentials',
        client_assertion_type: jwtBearer,
        client_assertion: await clientAssertion(portico, { expiresIn: 300 }),
      }
      expect((await form(portico, paths.token, within)).status).toBe(200)
      await expectOAuthError(await form(portico, paths.token, within), 401, 'invalid_client')
      // exp 1e17 once overflowed Redis's TTL (the jti deleted at once: every replay accepted)
      // and failed the SQL stores with a 500.
      for (const expiresIn of [1e17, 1.7e308, 3600]) {
        const body = {
          grant_type: 'client_credentials',
          client_assertion_type: jwtBearer,
          client_assertion: await clientAssertion(portico, { expiresIn }),
        }
        for (let i = 0; i < (expiresIn === 1e17 ? 3 : 1); i++) {
          await expectOAuthError(await form(portico, paths.token, body), 401, 'invalid_client')
        }
      }
      portico.clock.advance(60_000) // past the throttle's delay these failures earned
    })

    test('a jti holding U+0000, or of 5,000 characters, is spent once like any other, never a 500', async () => {
      for (const jti of ['a\u0000b', 'j'.repeat(5000)]) {
        const body = {
          grant_type: 'client_credentials',
          client_assertion_type: jwtBearer,
          client_assertion: await clientAssertion(portico, { jti }),
        }
        expect((await form(portico, paths.token, body)).status).toBe(200)
        await expectOAuthError(await form(portico, paths.token, body), 401, 'invalid_client')
      }
    })

    test('revoking a refresh token removes the reference tokens of its grant', async () => {
      const { grants } = portico.stores.operational
      const now = portico.clock.now()
      const base = {
        clientId: 'reference',
        subjectId: 'bob',
        sessionId: 'sid-1',
        createdAt: now,
        expiresAt: now + 60_000,
        data: '{}',
      }
      const refresh = `refresh-${backend.name}-0123456789abcdefghijklmnop`
      await grants.store({ ...base, key: grantKey(refresh, 'refresh_token'), type: 'refresh_token' })
      await grants.store({
        ...base,
        key: grantKey('bobs-access', 'reference_token'),
        type: 'reference_token',
      })
      await grants.store({
        ...base,
        sessionId: 'sid-2',
        key: grantKey('bobs-other', 'reference_token'),
        type: 'reference_token',
      })
      expect(
        (
          await form(
            portico,
            paths.revocation,
            { token: refresh, token_type_hint: 'refresh_token' },
            asReference,
          )
        ).status,
      ).toBe(200)
      expect(await grants.get(grantKey(refresh, 'refresh_token'))).toBeUndefined()
      expect(await grants.get(grantKey('bobs-access', 'reference_token'))).toBeUndefined()
      // Another session's tokens belong to another grant.
      expect(await grants.get(grantKey('bobs-other', 'reference_token'))).toBeDefined()
    })

    test('when the store is gone, revocation answers 503, never a false 200', async () => {
      const handle = await issueReference()
      await portico.closeStores()
      const response = await form(portico, paths.revocation, { token: handle }, asReference)
      await expectOAuthError(response, 503, 'temporarily_unavailable')
    })
  })
}
