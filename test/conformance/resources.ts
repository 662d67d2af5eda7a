import { anApiResource, anApiScope, anIdentityResource, sortBy, uniqueId } from './fixtures.ts'
import type { Harness } from './harness.ts'

export function resourceTests<O>(h: Harness<O>): void {
  h.runner.describe('configuration: resources', () => {
    h.test('identity resources round-trip and are found by scope name', async ({ configuration, verify }) => {
      const openid = anIdentityResource({ name: 'openid', userClaims: ['sub'] })
      const profile = anIdentityResource({ name: 'profile', required: false, enabled: false })
      await configuration.resources.upsertIdentityResource(openid)
      await configuration.resources.upsertIdentityResource(profile)
      const found = await configuration.resources.findIdentityResourcesByScopeName([
        'profile',
        'openid',
        'nope',
      ])
      verify.equal(
        sortBy(found, 'name'),
        [openid, profile],
        'both identity resources, unchanged, and no others',
      )
      verify.equal(
        await configuration.resources.findIdentityResourcesByScopeName(['email']),
        [],
        'an unknown scope name finds nothing',
      )
    })

    h.test('API scopes round-trip and are found by name', async ({ configuration, verify }) => {
      const read = anApiScope({ name: 'api1.read' })
      const write = anApiScope({ name: 'api1.write', description: 'write access' })
      await configuration.resources.upsertApiScope(read)
      await configuration.resources.upsertApiScope(write)
      verify.equal(
        await configuration.resources.findApiScopesByName(['api1.write']),
        [write],
        'findApiScopesByName returns only the named scope, unchanged',
      )
    })

    h.test(
      'API resources are found by any of their scopes and by name',
      async ({ configuration, verify }) => {
        const orders = anApiResource({ scopes: ['orders.read', 'orders.write'] })
        const billing = anApiResource({ scopes: ['billing'] })
        const bare = anApiResource({ scopes: [] })
        for (const r of [orders, billing, bare]) await configuration.resources.upsertApiResource(r)
        verify.equal(
          sortBy(
            await configuration.resources.findApiResourcesByScopeName(['orders.write', 'billing']),
            'name',
          ),
          sortBy([orders, billing], 'name'),
          'findApiResourcesByScopeName returns resources listing at least one of the scopes',
        )
        verify.equal(
          await configuration.resources.findApiResourcesByScopeName(['orders.read', 'orders.write']),
          [orders],
          'a resource matching several scopes is returned once',
        )
        verify.equal(
          await configuration.resources.findApiResourcesByName([bare.name]),
          [bare],
          'findApiResourcesByName returns the named resource, unchanged',
        )
      },
    )

    h.test('lookups with an empty list of names find nothing', async ({ configuration, verify }) => {
      await configuration.resources.upsertIdentityResource(anIdentityResource())
      await configuration.resources.upsertApiScope(anApiScope())
      await configuration.resources.upsertApiResource(anApiResource({ scopes: ['x'] }))
      const { resources } = configuration
      verify.equal(await resources.findIdentityResourcesByScopeName([]), [], 'identity resources by []')
      verify.equal(await resources.findApiScopesByName([]), [], 'API scopes by []')
      verify.equal(await resources.findApiResourcesByScopeName([]), [], 'API resources by scope []')
      verify.equal(await resources.findApiResourcesByName([]), [], 'API resources by name []')
    })

    h.test('getAllResources returns every resource of each kind', async ({ configuration, verify }) => {
      const identity = [anIdentityResource(), anIdentityResource()]
      const scopes = [anApiScope(), anApiScope(), anApiScope()]
      const apis = [anApiResource({ scopes: [scopes[0]!.name] })]
      for (const r of identity) await configuration.resources.upsertIdentityResource(r)
      for (const s of scopes) await configuration.resources.upsertApiScope(s)
      for (const a of apis) await configuration.resources.upsertApiResource(a)
      const all = await configuration.resources.getAllResources()
      verify.equal(sortBy(all.identityResources, 'name'), sortBy(identity, 'name'), 'every identity resource')
      verify.equal(sortBy(all.apiScopes, 'name'), sortBy(scopes, 'name'), 'every API scope')
      verify.equal(sortBy(all.apiResources, 'name'), sortBy(apis, 'name'), 'every API resource')
    })

    h.test('optional fields left out come back absent', async ({ configuration, verify }) => {
      const identity = anIdentityResource({ displayName: undefined, description: undefined })
      delete identity.displayName
      delete identity.description
      await configuration.resources.upsertIdentityResource(identity)
      const [found] = await configuration.resources.findIdentityResourcesByScopeName([identity.name])
      verify.equal(found, identity, 'an identity resource without displayName/description round-trips')
      verify.absent(found?.displayName, 'unset displayName must be undefined')
    })

    h.test(
      'upsert replaces and remove deletes, for each resource kind',
      async ({ configuration, verify }) => {
        const { resources } = configuration
        const identity = anIdentityResource()
        const scope = anApiScope()
        const api = anApiResource({ scopes: [scope.name] })
        await resources.upsertIdentityResource(identity)
        await resources.upsertApiScope(scope)
        await resources.upsertApiResource(api)
        const identity2 = { ...identity, userClaims: ['changed'] }
        const scope2 = { ...scope, enabled: false }
        const api2 = { ...api, scopes: [scope.name, 'extra'] }
        await resources.upsertIdentityResource(identity2)
        await resources.upsertApiScope(scope2)
        await resources.upsertApiResource(api2)
        const all = await resources.getAllResources()
        verify.equal(all.identityResources, [identity2], 'upsertIdentityResource must replace by name')
        verify.equal(all.apiScopes, [scope2], 'upsertApiScope must replace by name')
        verify.equal(all.apiResources, [api2], 'upsertApiResource must replace by name')

        verify.same(await resources.removeIdentityResource(identity.name), true, 'removeIdentityResource')
        verify.same(await resources.removeApiScope(scope.name), true, 'removeApiScope')
        verify.same(await resources.removeApiResource(api.name), true, 'removeApiResource')
        verify.equal(
          await resources.getAllResources(),
          { identityResources: [], apiScopes: [], apiResources: [] },
          'removed resources are gone',
        )
        verify.same(await resources.removeIdentityResource(identity.name), false, 'a second remove is false')
        verify.same(
          await resources.removeApiScope(uniqueId('nope')),
          false,
          'removing an unknown scope is false',
        )
        verify.same(
          await resources.removeApiResource(uniqueId('nope')),
          false,
          'removing an unknown API is false',
        )
      },
    )
  })
}
