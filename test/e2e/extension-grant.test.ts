/**
 * An extension grant (RFC 6749 §4.5) registered through createPorticoApp: announced in discovery,
 * answered by the token endpoint, issuing through the same access-token service.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { silentLogger } from '../../core/logger.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import type { GrantHandler } from '../../core/protocol/token/grant-handlers.ts'
import { parseConfig } from '../../server/config/load.ts'
import { applySeed } from '../../server/seed.ts'
import { expectOAuthError } from './assertions.ts'
import { basic, form, json, paths, verifyAsRelyingParty } from './http.ts'
import { api1, issuer, type PorticoUnderTest, secrets, startPortico } from './portico.ts'

const tokenExchange = 'urn:ietf:params:oauth:grant-type:token-exchange'

/** A toy token exchange: trusts one subject token and acts for user "delegated". */
const exchange: GrantHandler = {
  grantType: tokenExchange,
  async handle({ client, params, issuer, services }) {
    if (params.require('subject_token') !== 'trusted-subject')
      throw new OAuthError('invalid_grant', 'untrusted')
    const granted = await services.resources.validateScopes(client, ['api1.read'], { identityScopes: false })
    const token = await services.accessTokens.issue({
      issuer,
      client,
      granted: { ...granted, audiences: [api1] },
      subjectId: 'delegated',
    })
    return { access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn }
  },
}

let portico: PorticoUnderTest
beforeAll(async () => {
  portico = await startPortico({ grantHandlers: [exchange] })
  // Seeded through the config, as an operator would: the schema accepts extension grant URIs.
  const config = parseConfig(
    {
      seed: {
        clients: [
          {
            clientId: 'exchanger',
            clientSecrets: [{ value: secrets.m2m }],
            allowedGrantTypes: ['client_credentials', tokenExchange],
            allowedScopes: ['api1.read'],
          },
        ],
      },
    },
    { baseDir: process.cwd() },
  )
  await applySeed(config.seed, portico.stores.configuration, { logger: silentLogger })
})
afterAll(() => portico.close())

test('discovery lists the extension grant', async () => {
  const doc = await json(await portico.app.request(`${issuer}${paths.discovery}`))
  expect(doc.grant_types_supported).toEqual([
    'client_credentials',
    'authorization_code',
    'refresh_token',
    'urn:ietf:params:oauth:grant-type:device_code',
    tokenExchange,
  ])
})

test('the token endpoint answers it with a verifiable access token', async () => {
  const auth = { authorization: basic('exchanger', secrets.m2m) }
  const response = await form(
    portico,
    paths.token,
    { grant_type: tokenExchange, subject_token: 'trusted-subject' },
    auth,
  )
  expect(response.status).toBe(200)
  const { payload } = await verifyAsRelyingParty(portico, (await json(response)).access_token as string, api1)
  expect(payload).toMatchObject({ sub: 'delegated', client_id: 'exchanger' })
  await expectOAuthError(
    await form(portico, paths.token, { grant_type: tokenExchange, subject_token: 'forged' }, auth),
    400,
    'invalid_grant',
  )
})
