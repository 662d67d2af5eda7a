import { afterEach, beforeEach, expect, test } from 'bun:test'
import { client } from '../../core/models/client.ts'
import { apiScope } from '../../core/models/resources.ts'
import { ConfigurationCache } from '../../core/protocol/configuration-cache.ts'
import { StoreUnavailableError } from '../../core/stores/errors.ts'
import { type Fixture, memoryStores } from './fixtures.ts'

let fixture: Fixture
beforeEach(async () => {
  fixture = await memoryStores()
  await fixture.stores.configuration.clients.upsert(client({ clientId: 'c', clientName: 'before' }))
  await fixture.stores.configuration.resources.upsertApiScope(apiScope({ name: 's' }))
})
afterEach(() => fixture.close())

/** Moves the clock to the start of the next 30 s epoch. */
function toEpochStart(): void {
  fixture.clock.advance(30_000 - (fixture.clock.now() % 30_000))
}

test('a client lookup is reused within its TTL epoch, and a change is seen within the TTL', async () => {
  const cache = new ConfigurationCache(fixture.stores.configuration, { ttlSeconds: 30, clock: fixture.clock })
  toEpochStart()
  expect((await cache.findClient('c'))?.clientName).toBe('before')
  await fixture.stores.configuration.clients.upsert(client({ clientId: 'c', clientName: 'after' }))
  fixture.clock.advance(29_999)
  expect((await cache.findClient('c'))?.clientName).toBe('before')
  fixture.clock.advance(1)
  expect((await cache.findClient('c'))?.clientName).toBe('after')
})

test('validated scopes are remembered per client, and never outlive the TTL', async () => {
  const cache = new ConfigurationCache(fixture.stores.configuration, { ttlSeconds: 30, clock: fixture.clock })
  await fixture.stores.configuration.clients.upsert(client({ clientId: 'c', allowedScopes: ['s'] }))
  toEpochStart()
  const c = (await cache.findClient('c'))!
  expect((await cache.validateScopes(c, ['s'], { identityScopes: false })).scopes).toEqual(['s'])
  await fixture.stores.configuration.resources.upsertApiScope(apiScope({ name: 's', enabled: false }))
  fixture.clock.advance(10_000)
  expect((await cache.validateScopes(c, ['s'], { identityScopes: false })).scopes).toEqual(['s'])
  // Read 29 s into the epoch, still at most 30 s old: the disabled scope is refused from the next one.
  fixture.clock.advance(20_000)
  const fresh = (await cache.findClient('c'))!
  await expect(cache.validateScopes(fresh, ['s'], { identityScopes: false })).rejects.toMatchObject({
    error: 'invalid_scope',
  })
})

test('a warm lookup needs no store at all', async () => {
  const cache = new ConfigurationCache(fixture.stores.configuration, { ttlSeconds: 30, clock: fixture.clock })
  await cache.findClient('c')
  await cache.findApiScopes(['s'])
  await fixture.instance.close()
  expect((await cache.findClient('c'))?.clientId).toBe('c')
  expect((await cache.findApiScopes(['s'])).map((s) => s.name)).toEqual(['s'])
})

test('scope-name lookups are keyed by the set of names, whatever their order', async () => {
  await fixture.stores.configuration.resources.upsertApiScope(apiScope({ name: 't' }))
  const cache = new ConfigurationCache(fixture.stores.configuration, { ttlSeconds: 30, clock: fixture.clock })
  await cache.findApiScopes(['s', 't'])
  await fixture.instance.close()
  expect((await cache.findApiScopes(['t', 's', 't'])).map((s) => s.name).sort()).toEqual(['s', 't'])
})

test('ttlSeconds 0 turns caching off', async () => {
  const cache = new ConfigurationCache(fixture.stores.configuration, { ttlSeconds: 0, clock: fixture.clock })
  await cache.findClient('c')
  await fixture.stores.configuration.clients.remove('c')
  expect(await cache.findClient('c')).toBeUndefined()
})

test('a failed lookup is not remembered', async () => {
  // The real store behind a switch that makes it unreachable for a while (fault injection).
  const real = fixture.stores.configuration
  let down = true
  const clients = {
    ...real.clients,
    findClientById: (id: string) =>
      down ? Promise.reject(new StoreUnavailableError('memory')) : real.clients.findClientById(id),
  }
  const cache = new ConfigurationCache(
    { clients, resources: real.resources },
    { ttlSeconds: 30, clock: fixture.clock },
  )
  await expect(cache.findClient('c')).rejects.toThrow(StoreUnavailableError)
  down = false
  expect((await cache.findClient('c'))?.clientId).toBe('c')
})
