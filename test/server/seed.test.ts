import { afterEach, describe, expect, test } from 'bun:test'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import { hashSecret } from '../../core/models/secret.ts'
import type { ConfigurationStores } from '../../core/stores/configuration.ts'
import { parseConfig } from '../../server/config/load.ts'
import { applySeed, SeedError } from '../../server/seed.ts'
import { openStores } from '../../server/stores/load.ts'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function configurationStore(): Promise<ConfigurationStores> {
  const config = parseConfig({ store: 'memory:' }, { baseDir: import.meta.dir })
  const opened = await openStores({
    stores: config.stores,
    baseDir: config.baseDir,
    clock: systemClock,
    logger: silentLogger,
    migrate: true,
    roles: ['configuration'],
  })
  closers.push(opened.close)
  return opened.stores.configuration!
}

function seedOf(raw: Record<string, unknown>) {
  return parseConfig({ seed: raw }, { baseDir: import.meta.dir }).seed
}

const seed = seedOf({
  identityResources: ['openid', 'profile', 'email', 'offline_access'],
  apiScopes: [{ name: 'api1', displayName: 'API 1' }],
  apiResources: [
    { name: 'https://api.example.com', scopes: ['api1'], apiSecrets: [{ value: 'api-secret' }] },
  ],
  clients: [
    {
      clientId: 'web',
      clientSecrets: [{ value: 'web-secret' }],
      allowedGrantTypes: ['authorization_code'],
      redirectUris: ['http://127.0.0.1:4999/cb'],
      allowedScopes: ['openid', 'profile', 'api1'],
      allowOfflineAccess: true,
    },
  ],
  users: [{ subjectId: '1', username: 'alice', password: 'alice-pass', claims: { name: 'Alice Smith' } }],
})

describe('seed', () => {
  test('seeding twice leaves one of everything, secrets hashed, the password hashed once', async () => {
    const stores = await configurationStore()
    await applySeed(seed, stores, { logger: silentLogger })
    const firstUser = await stores.users.findBySubjectId('1')
    await applySeed(seed, stores, { logger: silentLogger })

    const clients = await stores.clients.list()
    expect(clients.map((client) => client.clientId)).toEqual(['web'])
    const web = clients[0]!
    expect(web.clientSecrets).toEqual([{ type: 'SharedSecret', value: hashSecret('web-secret') }])
    expect(JSON.stringify(web)).not.toContain('web-secret')
    // IdentityServer's defaults fill what the seed leaves out.
    expect(web.requirePkce).toBe(true)
    expect(web.accessTokenLifetime).toBe(3600)
    expect(web.refreshTokenUsage).toBe('oneTimeOnly')

    const resources = await stores.resources.getAllResources()
    expect(resources.apiScopes.map((scope) => scope.name)).toEqual(['api1'])
    expect(resources.apiResources).toHaveLength(1)
    expect(resources.apiResources[0]!.apiSecrets[0]!.value).toBe(hashSecret('api-secret'))

    const alice = (await stores.users.findByUsername('alice'))!
    expect(alice.passwordHash).toStartWith('$argon2id$')
    expect(await Bun.password.verify('alice-pass', alice.passwordHash!)).toBe(true)
    expect(JSON.stringify(alice)).not.toContain('alice-pass')
    // An unchanged password keeps its stored hash (argon2id salts, so a rehash would differ).
    expect(alice.passwordHash).toBe(firstUser!.passwordHash!)
  })

  test('a changed seed entry replaces the stored one', async () => {
    const stores = await configurationStore()
    await applySeed(seed, stores, { logger: silentLogger })
    const before = (await stores.users.findBySubjectId('1'))!.passwordHash
    const changed = seedOf({
      clients: [
        {
          clientId: 'web',
          clientSecrets: [{ value: 'rotated-secret' }],
          allowedGrantTypes: ['client_credentials'],
        },
      ],
      users: [{ subjectId: '1', username: 'alice', password: 'new-pass' }],
    })
    await applySeed(changed, stores, { logger: silentLogger })
    const web = (await stores.clients.findClientById('web'))!
    expect(web.allowedGrantTypes).toEqual(['client_credentials'])
    expect(web.clientSecrets[0]!.value).toBe(hashSecret('rotated-secret'))
    const alice = (await stores.users.findBySubjectId('1'))!
    expect(alice.passwordHash).not.toBe(before!)
    expect(await Bun.password.verify('new-pass', alice.passwordHash!)).toBe(true)
  })

  test('the standard identity resources are always present; an operator’s edit of one is kept', async () => {
    const stores = await configurationStore()
    await applySeed(seedOf({}), stores, { logger: silentLogger })
    const names = (await stores.resources.getAllResources()).identityResources.map(
      (resource) => resource.name,
    )
    expect(names.sort()).toEqual(['address', 'email', 'offline_access', 'openid', 'phone', 'profile'])

    const [email] = await stores.resources.findIdentityResourcesByScopeName(['email'])
    await stores.resources.upsertIdentityResource({ ...email!, displayName: 'Work email' })
    await applySeed(seedOf({}), stores, { logger: silentLogger })
    const [kept] = await stores.resources.findIdentityResourcesByScopeName(['email'])
    expect(kept!.displayName).toBe('Work email')
  })

  test('a username taken by another subject is a clear error', async () => {
    const stores = await configurationStore()
    await applySeed(seed, stores, { logger: silentLogger })
    const clash = seedOf({ users: [{ subjectId: '2', username: 'Alice', password: 'x' }] })
    const error = await applySeed(clash, stores, { logger: silentLogger }).catch((caught) => caught)
    expect(error).toBeInstanceOf(SeedError)
    expect(error.message).toBe('seed.users[0].username: already taken by another subject (given "Alice")')
  })
})
