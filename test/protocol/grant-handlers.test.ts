import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { KeyRing } from '../../core/keys/key-ring.ts'
import { silentLogger } from '../../core/logger.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import { RequestParameters } from '../../core/protocol/request-parameters.ts'
import { clientCredentialsGrant } from '../../core/protocol/token/client-credentials.ts'
import { type GrantHandler, GrantHandlerRegistry } from '../../core/protocol/token/grant-handlers.ts'
import { createTokenService } from '../../core/protocol/token-service.ts'
import { confidentialClient, type Fixture, keyRing, memoryStores, seedResources } from './fixtures.ts'

const issuer = 'https://id.example.test'
const exchange = 'urn:ietf:params:oauth:grant-type:token-exchange'
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

let fixture: Fixture
let ring: KeyRing
beforeAll(async () => {
  fixture = await memoryStores()
  ring = await keyRing(fixture)
  await seedResources(fixture, [{ name: 'api' }], [{ name: 'https://api.example', scopes: ['api'] }])
  await fixture.stores.configuration.clients.upsert(
    confidentialClient({ clientId: 'x', allowedGrantTypes: [exchange], allowedScopes: ['api'] }),
  )
  await fixture.stores.configuration.clients.upsert(
    confidentialClient({ clientId: 'cc', allowedGrantTypes: ['client_credentials'], allowedScopes: ['api'] }),
  )
})
afterAll(async () => {
  ring.close()
  await fixture.close()
})

/** An extension grant as a deployment would write one, issuing through the shared services. */
const tokenExchange: GrantHandler = {
  grantType: exchange,
  async handle({ client, params, issuer, services }) {
    if (params.require('subject_token') !== 'trusted')
      throw new OAuthError('invalid_grant', 'untrusted subject')
    const token = await services.accessTokens.issue({
      issuer,
      client,
      subjectId: 'delegated-user',
      granted: {
        scopes: ['api'],
        apiScopes: [],
        identityResources: [],
        apiResources: [],
        audiences: ['https://api.example'],
      },
    })
    return {
      access_token: token.accessToken,
      token_type: 'Bearer',
      expires_in: token.expiresIn,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    }
  },
}

const service = () =>
  createTokenService({
    configuration: fixture.stores.configuration,
    operational: fixture.stores.operational,
    keys: ring,
    signingAlgorithms: ring.algorithms,
    grantHandlers: [tokenExchange],
    clock: fixture.clock,
    logger: silentLogger,
  })

const request = (params: Record<string, string>, authorization: string) => ({
  issuer,
  endpointUrl: `${issuer}/connect/token`,
  params: RequestParameters.fromEntries(params),
  authorization,
})

test('the registry refuses a second handler for one grant type', () => {
  const registry = new GrantHandlerRegistry([clientCredentialsGrant])
  expect(() => registry.register(clientCredentialsGrant)).toThrow('already registered')
  expect(registry.grantTypes()).toEqual(['client_credentials'])
})

test('a registered extension grant is answered by the token endpoint and listed for discovery', async () => {
  const tokens = service()
  expect(tokens.grantHandlers.grantTypes()).toEqual(['client_credentials', exchange])
  const response = await tokens.token.handle(
    request({ grant_type: exchange, subject_token: 'trusted' }, basic('x', 'secret-0123456789')),
  )
  expect(response.issued_token_type).toBe('urn:ietf:params:oauth:token-type:access_token')
  const { payload } = await ring.verify(response.access_token, { currentDate: new Date(fixture.clock.now()) })
  expect(payload).toMatchObject({ sub: 'delegated-user', client_id: 'x' })
})

test('an extension grant still needs the client to be allowed it', async () => {
  await expect(
    service().token.handle(
      request({ grant_type: exchange, subject_token: 'trusted' }, basic('cc', 'secret-0123456789')),
    ),
  ).rejects.toMatchObject({ error: 'unauthorized_client' })
})

test('client_credentials refuses a client that authenticated with none', async () => {
  await expect(
    clientCredentialsGrant.handle({
      issuer,
      params: RequestParameters.fromEntries({}),
      client: confidentialClient({ clientId: 'p' }),
      authenticationMethod: 'none',
      services: undefined as never,
    }),
  ).rejects.toMatchObject({ error: 'unauthorized_client' })
})
