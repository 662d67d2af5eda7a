/**
 * Revocation when the operational store fails part-way: the client is told 503 and a retry
 * finishes the job, so a 200 is never given while tokens of the revoked grant survive.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { KeyRing } from '../../core/keys/key-ring.ts'
import { silentLogger } from '../../core/logger.ts'
import { RequestParameters } from '../../core/protocol/request-parameters.ts'
import { createTokenService } from '../../core/protocol/token-service.ts'
import { StoreUnavailableError } from '../../core/stores/errors.ts'
import { grantKey } from '../../core/stores/handles.ts'
import type { PersistedGrantStore } from '../../core/stores/operational.ts'
import { confidentialClient, type Fixture, keyRing, memoryStores } from './fixtures.ts'

const issuer = 'https://id.example.test'
const secret = 'secret-0123456789'

let fixture: Fixture
let ring: KeyRing
beforeAll(async () => {
  fixture = await memoryStores()
  ring = await keyRing(fixture)
  await fixture.stores.configuration.clients.upsert(confidentialClient({ clientId: 'app' }, secret))
})
afterAll(async () => {
  ring.close()
  await fixture.close()
})

test('a refresh token revocation cut short by the store is 503, and the retry revokes its access tokens', async () => {
  const real = fixture.stores.operational.grants
  // The real store, with its next bulk removal failing as an outage would.
  let failNextRemoveAll = true
  const grants = new Proxy(real, {
    get(target, name) {
      if (name === 'removeAll') {
        return (filter: Parameters<PersistedGrantStore['removeAll']>[0]) => {
          if (!failNextRemoveAll) return target.removeAll(filter)
          failNextRemoveAll = false
          return Promise.reject(new StoreUnavailableError('operational'))
        }
      }
      const value = Reflect.get(target, name)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  const service = createTokenService({
    configuration: fixture.stores.configuration,
    operational: { ...fixture.stores.operational, grants },
    keys: ring,
    signingAlgorithms: ring.algorithms,
    clock: fixture.clock,
    logger: silentLogger,
  })
  const now = fixture.clock.now()
  const owner = { clientId: 'app', subjectId: 'alice', sessionId: 's1', createdAt: now, data: '{}' }
  const refresh = 'refresh-handle-0123456789abcdefghijklmnopq'
  await real.store({
    ...owner,
    key: grantKey(refresh, 'refresh_token'),
    type: 'refresh_token',
    expiresAt: now + 60_000,
  })
  const access = grantKey('access-handle', 'reference_token')
  await real.store({ ...owner, key: access, type: 'reference_token', expiresAt: now + 60_000 })

  const revoke = () =>
    service.revocation.handle({
      issuer,
      endpointUrl: `${issuer}/connect/revocation`,
      params: RequestParameters.fromEntries({ token: refresh, token_type_hint: 'refresh_token' }),
      authorization: `Basic ${Buffer.from(`app:${secret}`).toString('base64')}`,
    })
  await expect(revoke()).rejects.toBeInstanceOf(StoreUnavailableError)
  // The client retries after the 503; this time it must really revoke everything.
  await revoke()
  expect(await real.get(grantKey(refresh, 'refresh_token'))).toBeUndefined()
  expect(await real.get(access)).toBeUndefined()
})
