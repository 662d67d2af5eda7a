/**
 * JWT-Secured Authorization Requests (RFC 9101) by value at the authorize endpoint: openid-client
 * signs the request with the client's key and alice signs in; then the refusals, each an error
 * page since nothing in a refused object can be trusted: unsigned (`alg: none`), signed with
 * another key, for another audience or issuer, expired; a client that must sign and did not; and
 * the rule that the object's parameters win over the query's (§6.3).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { base64url } from 'jose'
import {
  type ClientKey,
  clientKey,
  codeRequest,
  discover,
  oidc,
  parRp,
  parSeed,
  requestObject,
  rp,
  signInAt,
  users,
} from './par-clients.ts'
import { type SignInServer, startSignInServer, storeSetups } from './server.ts'

let server: SignInServer
let keys: { pushing: ClientKey; signing: ClientKey }
beforeAll(async () => {
  keys = { pushing: await clientKey('par-key'), signing: await clientKey('jar-key') }
  server = await startSignInServer({ setup: storeSetups[0]!, config: { seed: parSeed(keys) } })
}, 30_000)
afterAll(() => server.close())

const client = parRp.signing

function authorize(params: Record<string, string>) {
  return fetch(`${server.issuer}/connect/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' })
}

async function expectRefusalPage(response: Response, error: string) {
  expect(response.status).toBe(400)
  expect(response.headers.get('location')).toBeNull()
  expect(await response.text()).toContain(error)
}

/** The authorization request as openid-client's buildAuthorizationUrlWithJAR sends it: client_id and request. */
async function signedRequest(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  const { parameters } = await codeRequest(client)
  return {
    client_id: client.clientId,
    request: await requestObject(server, client, keys.signing, { ...parameters, ...claims }, header),
  }
}

describe('request objects by value', () => {
  test('openid-client signs the request (buildAuthorizationUrlWithJAR) and alice signs in', async () => {
    const config = await discover(server.issuer, client)
    const { parameters, ...expected } = await codeRequest(client)
    const url = await oidc.buildAuthorizationUrlWithJAR(config, parameters, {
      key: keys.signing.privateKey,
      kid: keys.signing.kid,
    })
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request'])
    const claims = await signInAt(config, client, url, expected)
    expect(claims.sub).toBe(users.alice.subjectId)
    expect(claims.nonce).toBe(expected.nonce)
  }, 30_000)

  test("the object's parameters win; those beside it are not used (RFC 9101 §6.3)", async () => {
    const params = await signedRequest({ state: 'inner-state', prompt: 'none' })
    // Beside the object: another state, another redirect URI, no prompt.
    const response = await authorize({
      ...params,
      state: 'outer-state',
      redirect_uri: 'https://evil.example/cb',
    })
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get('location')!)
    expect(`${location.origin}${location.pathname}`).toBe(client.redirectUri)
    // prompt=none from the object: no session, so login_required, with the object's state.
    expect(location.searchParams.get('error')).toBe('login_required')
    expect(location.searchParams.get('state')).toBe('inner-state')
  })

  test('an unsigned request object (alg none) is refused', async () => {
    const { parameters } = await codeRequest(client)
    const now = Math.floor(server.clock.now() / 1000)
    const encode = (value: object) => base64url.encode(JSON.stringify(value))
    const payload = { ...parameters, iss: client.clientId, aud: server.issuer, exp: now + 60 }
    const unsigned = `${encode({ alg: 'none' })}.${encode(payload)}.`
    await expectRefusalPage(
      await authorize({ client_id: client.clientId, request: unsigned }),
      'invalid_request_object',
    )
  })

  test('a request object signed with a key the client did not register is refused', async () => {
    const { parameters } = await codeRequest(client)
    const stranger = await clientKey(keys.signing.kid)
    const request = await requestObject(server, client, stranger, parameters)
    await expectRefusalPage(
      await authorize({ client_id: client.clientId, request }),
      'invalid_request_object',
    )
  })

  test('wrong aud, wrong iss, another client_id inside, expired, or a foreign typ are refused', async () => {
    const now = Math.floor(server.clock.now() / 1000)
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ aud: `${server.issuer}/connect/token` }, {}],
      [{ aud: 'https://other-issuer.example' }, {}],
      [{ iss: rp.web.clientId }, {}],
      [{ client_id: rp.web.clientId }, {}],
      [{ exp: now - 60, iat: now - 120, nbf: now - 120 }, {}],
      [{ nbf: now + 300 }, {}],
      [{}, { typ: 'dpop+jwt' }],
    ]
    for (const [claims, header] of cases) {
      await expectRefusalPage(await authorize(await signedRequest(claims, header)), 'invalid_request_object')
    }
  })

  test('client_id beside the object must name the client whose key signed it', async () => {
    const params = await signedRequest()
    await expectRefusalPage(
      await authorize({ ...params, client_id: rp.web.clientId }),
      'invalid_request_object',
    )
  })

  test('a request object inside a request object, or with request_uri, is refused', async () => {
    await expectRefusalPage(
      await authorize(await signedRequest({ request_uri: 'https://x.example' })),
      'invalid_request_object',
    )
    const params = await signedRequest()
    await expectRefusalPage(
      await authorize({ ...params, request_uri: 'urn:ietf:params:oauth:request_uri:x' }),
      'invalid_request',
    )
  })

  test('a client that must sign is refused a plain request, at its redirect URI', async () => {
    const { parameters } = await codeRequest(client)
    const response = await authorize(parameters)
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get('location')!)
    expect(`${location.origin}${location.pathname}`).toBe(client.redirectUri)
    expect(location.searchParams.get('error')).toBe('invalid_request')
    expect(location.searchParams.get('state')).toBe(parameters.state!)
  })

  test('a client without registered keys cannot send request objects', async () => {
    const { parameters } = await codeRequest(rp.web)
    const stranger = await clientKey('web-key')
    const request = await requestObject(server, rp.web, stranger, parameters)
    await expectRefusalPage(
      await authorize({ client_id: rp.web.clientId, request }),
      'invalid_request_object',
    )
  })
})
