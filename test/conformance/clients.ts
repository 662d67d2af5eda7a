import { compareCodePoints } from '../../core/index.ts'
import { aFullClient, aMinimalClient, textOrderSample, unicode, uniqueId } from './fixtures.ts'
import type { Harness } from './harness.ts'

export function clientTests<O>(h: Harness<O>): void {
  h.runner.describe('configuration: clients', () => {
    h.test('a client with every field set round-trips unchanged', async ({ configuration, verify }) => {
      const client = aFullClient()
      await configuration.clients.upsert(client)
      const found = await configuration.clients.findClientById(client.clientId)
      verify.equal(found, client, 'findClientById must return the client exactly as upserted')
    })

    h.test('optional fields left out come back absent, not null', async ({ configuration, verify }) => {
      const client = aMinimalClient()
      await configuration.clients.upsert(client)
      const found = await configuration.clients.findClientById(client.clientId)
      verify.equal(found, client, 'a client with only defaults must round-trip')
      for (const field of [
        'clientName',
        'consentLifetime',
        'userSsoLifetime',
        'backChannelLogoutUri',
      ] as const) {
        verify.absent(found?.[field], `unset optional field ${field} must be undefined`)
      }
    })

    h.test('an unknown clientId is undefined', async ({ configuration, verify }) => {
      verify.absent(await configuration.clients.findClientById(uniqueId('nobody')), 'unknown client')
    })

    h.test('lookups by a value holding U+0000 find nothing, and never fail', async (s) => {
      const { configuration, verify } = s
      // Such values reach stores from requests: a Basic client_id of `%00`, a login name.
      const odd = uniqueId('a\u0000b')
      verify.absent(await configuration.clients.findClientById(odd), 'findClientById of such an id')
      verify.absent(await configuration.users.findByUsername(odd), 'findByUsername of such a name')
      verify.equal(
        await configuration.resources.findApiScopesByName([odd]),
        [],
        'findApiScopesByName of such a name',
      )
    })

    h.test('disabled clients are still returned (core checks enabled)', async ({ configuration, verify }) => {
      const client = { ...aMinimalClient(), enabled: false }
      await configuration.clients.upsert(client)
      const found = await configuration.clients.findClientById(client.clientId)
      verify.same(found?.enabled, false, 'findClientById must return disabled clients')
    })

    h.test('upsert replaces the client with the same clientId', async ({ configuration, verify }) => {
      const first = aFullClient()
      await configuration.clients.upsert(first)
      const second = { ...aMinimalClient(first.clientId), clientName: `renamed ${unicode}` }
      await configuration.clients.upsert(second)
      verify.equal(
        await configuration.clients.findClientById(first.clientId),
        second,
        'the second upsert must replace every field, dropping ones it leaves out',
      )
      verify.same((await configuration.clients.list()).length, 1, 'upsert must not duplicate the client')
    })

    h.test('list returns every client ordered by clientId', async ({ configuration, verify }) => {
      const ids = ['client-b', 'client-a', 'client-c', 'client-a2']
      for (const clientId of ids) await configuration.clients.upsert(aMinimalClient(clientId))
      const listed = (await configuration.clients.list()).map((c) => c.clientId)
      verify.equal(listed, [...ids].sort(), 'list must return every client, ordered by clientId')
    })

    h.test(
      'list orders clientIds by Unicode code point, non-ASCII included',
      async ({ configuration, verify }) => {
        for (const clientId of textOrderSample) await configuration.clients.upsert(aMinimalClient(clientId))
        verify.equal(
          (await configuration.clients.list()).map((c) => c.clientId),
          [...textOrderSample].sort(compareCodePoints),
          'clients.list orders by clientId in code point order (an emoji after U+FF5E, unlike JavaScript’s <; not a locale collation)',
        )
      },
    )

    h.test('remove deletes the client: true once, then false', async ({ configuration, verify }) => {
      const client = aMinimalClient()
      const other = aMinimalClient()
      await configuration.clients.upsert(client)
      await configuration.clients.upsert(other)
      verify.same(await configuration.clients.remove(client.clientId), true, 'remove of an existing client')
      verify.absent(await configuration.clients.findClientById(client.clientId), 'a removed client is gone')
      verify.same(await configuration.clients.remove(client.clientId), false, 'a second remove returns false')
      verify.equal(
        await configuration.clients.findClientById(other.clientId),
        other,
        'remove must not touch other clients',
      )
    })

    h.test('values are copied: mutating input or output never changes the store', async (stores) => {
      const { configuration, verify } = stores
      const client = aFullClient()
      const expected = structuredClone(client)
      await configuration.clients.upsert(client)
      client.redirectUris.push('https://evil.example.com/cb')
      client.clientName = 'changed'
      const found = await configuration.clients.findClientById(client.clientId)
      found?.allowedScopes.push('admin')
      verify.equal(
        await configuration.clients.findClientById(client.clientId),
        expected,
        'stored client changed',
      )
    })
  })
}
