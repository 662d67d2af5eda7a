/**
 * RFC 9126 pushed requests in a real operational store (memory plugin): single use, bound to the
 * client that pushed them, expiring; and the requirements a client or the deployment sets
 * (pushed-request-store.ts, authorize-parameters.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { client } from '../../../core/models/client.ts'
import {
  AuthorizeParameterReader,
  plainRequest,
} from '../../../core/protocol/authorize/authorize-parameters.ts'
import {
  PushedRequestStore,
  requestUriPrefix,
} from '../../../core/protocol/authorize/pushed-request-store.ts'
import { RequestObjectVerifier } from '../../../core/protocol/authorize/request-object.ts'
import { OAuthError, type OAuthErrorCode } from '../../../core/protocol/errors.ts'
import { RequestParameters } from '../../../core/protocol/request-parameters.ts'
import { type Fixture, memoryStores } from '../fixtures.ts'

let fixture: Fixture
let store: PushedRequestStore
beforeAll(async () => {
  fixture = await memoryStores()
  store = new PushedRequestStore(fixture.stores.operational.grants, fixture.clock, 60)
})
afterAll(() => fixture.close())

const params = new URLSearchParams({ client_id: 'a', response_type: 'code', state: 's' })

async function refusal(promise: Promise<unknown>, code: OAuthErrorCode) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(OAuthError)
  expect((error as OAuthError).error).toBe(code)
}

describe('PushedRequestStore', () => {
  test('a request_uri is a URN with 256 bits and redeems once, to the parameters pushed', async () => {
    const uri = await store.push('a', params, true)
    expect(uri.startsWith(requestUriPrefix)).toBe(true)
    expect(uri.slice(requestUriPrefix.length)).toMatch(/^[\w-]{43}$/)
    const redeemed = await store.redeem(uri, 'a')
    expect(redeemed.params.get('state')).toBe('s')
    expect(redeemed.provenance).toEqual({ pushed: true, signed: true })
    await refusal(store.redeem(uri, 'a'), 'invalid_request_uri')
  })

  test("another client's attempt is refused and leaves it usable", async () => {
    const uri = await store.push('a', params, false)
    await refusal(store.redeem(uri, 'b'), 'invalid_request_uri')
    expect((await store.redeem(uri, 'a')).provenance).toEqual({ pushed: true, signed: false })
  })

  test('it expires after its lifetime', async () => {
    const uri = await store.push('a', params, false)
    fixture.clock.advance(60_000)
    await refusal(store.redeem(uri, 'a'), 'invalid_request_uri')
  })

  test('of concurrent redemptions exactly one wins', async () => {
    const uri = await store.push('a', params, false)
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => store.redeem(uri, 'a')))
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
  })

  test('unknown URNs and outside URLs are refused', async () => {
    await refusal(store.redeem(`${requestUriPrefix}nothing`, 'a'), 'invalid_request_uri')
    await refusal(store.redeem('https://rp.example/request.jwt', 'a'), 'invalid_request_uri')
  })
})

describe('AuthorizeParameterReader', () => {
  function reader(pushedRequired: boolean) {
    return new AuthorizeParameterReader({
      findClient: async () => undefined,
      pushed: store,
      requestObjects: new RequestObjectVerifier({ keySetOf: () => undefined, clock: fixture.clock }),
      pushedRequired,
    })
  }
  const plainClient = client({ clientId: 'a' })

  test('a plain request is read as it is', async () => {
    const outer = RequestParameters.fromEntries({ client_id: 'a', state: 'x' })
    const read = await reader(false).read(outer, 'https://id.example')
    expect(read.params).toBe(outer)
    expect(read.provenance).toEqual(plainRequest)
  })

  test('request_uri replaces every other parameter but client_id', async () => {
    const uri = await store.push('a', params, false)
    const outer = RequestParameters.fromEntries({ client_id: 'a', request_uri: uri, state: 'outer' })
    const read = await reader(false).read(outer, 'https://id.example')
    expect(read.params.get('state')).toBe('s')
  })

  test('request and request_uri together, or without client_id, are invalid_request', async () => {
    const both = RequestParameters.fromEntries({ client_id: 'a', request: 'x', request_uri: 'y' })
    await refusal(reader(false).read(both, 'https://id.example'), 'invalid_request')
    const anonymous = RequestParameters.fromEntries({ request_uri: `${requestUriPrefix}x` })
    await refusal(reader(false).read(anonymous, 'https://id.example'), 'invalid_request')
  })

  test('requirements: pushed per client or deployment-wide, signed per client', () => {
    const refuses = (check: () => void) => expect(check).toThrow(OAuthError)
    refuses(() => reader(true).checkRequirements(plainClient, plainRequest))
    reader(true).checkRequirements(plainClient, { pushed: true, signed: false })
    const mustPush = client({ clientId: 'p', requirePushedAuthorization: true })
    refuses(() => reader(false).checkRequirements(mustPush, { pushed: false, signed: true }))
    const mustSign = client({ clientId: 's', requireRequestObject: true })
    refuses(() => reader(false).checkRequirements(mustSign, { pushed: true, signed: false }))
    reader(false).checkRequirements(mustSign, { pushed: false, signed: true })
    reader(false).checkRequirements(plainClient, plainRequest)
  })
})
