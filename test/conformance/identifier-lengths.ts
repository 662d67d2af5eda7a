import { identifierMaxLength } from '../../core/index.ts'
import {
  aDeviceCode,
  aGrant,
  aMinimalClient,
  anApiResource,
  anApiScope,
  anIdentityResource,
  aSession,
  aUser,
  uniqueId,
} from './fixtures.ts'
import type { Harness } from './harness.ts'

/**
 * A unique identifier of the longest length core lets through, in characters of 3 UTF-8 bytes
 * (the most a UTF-16 code unit takes), so byte-limited indexes meet their worst case.
 */
export function longestIdentifier(prefix: string): string {
  const id = uniqueId(prefix)
  return id + '東'.repeat(identifierMaxLength - id.length)
}

export function identifierLengthTests<O>(h: Harness<O>): void {
  h.runner.describe(`identifiers of ${identifierMaxLength} characters (the longest core allows)`, () => {
    if (h.roles.includes('configuration')) {
      h.test('clients, users and resources with the longest ids and names round-trip', async (s) => {
        const { configuration, verify } = s
        const scope = longestIdentifier('scope')
        const client = { ...aMinimalClient(longestIdentifier('client')), allowedScopes: [scope] }
        await configuration.clients.upsert(client)
        verify.equal(
          await configuration.clients.findClientById(client.clientId),
          client,
          'a longest client id',
        )

        const user = aUser({ subjectId: longestIdentifier('sub'), username: longestIdentifier('user') })
        await configuration.users.upsert(user)
        verify.equal(await configuration.users.findBySubjectId(user.subjectId), user, 'a longest subject id')
        verify.equal(await configuration.users.findByUsername(user.username), user, 'a longest username')

        const identity = anIdentityResource({ name: longestIdentifier('identity') })
        const apiScope = anApiScope({ name: scope })
        const api = anApiResource({ name: longestIdentifier('api'), scopes: [scope] })
        await configuration.resources.upsertIdentityResource(identity)
        await configuration.resources.upsertApiScope(apiScope)
        await configuration.resources.upsertApiResource(api)
        const { resources } = configuration
        verify.equal(
          await resources.findIdentityResourcesByScopeName([identity.name]),
          [identity],
          'identity resource',
        )
        verify.equal(await resources.findApiScopesByName([scope]), [apiScope], 'API scope')
        verify.equal(await resources.findApiResourcesByScopeName([scope]), [api], 'API resource by scope')
      })
    }
    if (h.roles.includes('operational')) {
      h.test(
        'grants, device codes and sessions with the longest subject, client and session ids round-trip',
        async (s) => {
          const { operational, clock, verify } = s
          const ids = {
            subjectId: longestIdentifier('sub'),
            clientId: longestIdentifier('client'),
            sessionId: longestIdentifier('sid'),
          }
          const grant = aGrant(clock.now(), ids)
          await operational.grants.store(grant)
          verify.equal(await operational.grants.get(grant.key), grant, 'a grant with the longest ids')
          verify.equal(await operational.grants.getAll(ids), [grant], 'found by the longest ids')

          const device = aDeviceCode(clock.now(), { clientId: ids.clientId })
          await operational.deviceCodes.store(device)
          verify.equal(await operational.deviceCodes.findByUserCode(device.userCode), device, 'a device code')
          verify.same(
            await operational.deviceCodes.authorize(device.userCode, { ...ids, data: '{}' }),
            true,
            'authorized for the longest subject and session ids',
          )

          const session = aSession(clock.now(), { subjectId: ids.subjectId, sessionId: ids.sessionId })
          await operational.sessions.create(session)
          verify.equal(await operational.sessions.listBySubject(ids.subjectId), [session], 'a session')
          verify.equal(
            await operational.sessions.findBySessionId(ids.sessionId),
            session,
            'a session found by the longest sid',
          )
        },
      )
    }
  })
}
