import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { identityResource, standardIdentityResources } from '../../core/models/resources.ts'
import { ConfigurationCache } from '../../core/protocol/configuration-cache.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import { selectAudience } from '../../core/protocol/resource-validation.ts'
import { parseScope, validateScopes } from '../../core/protocol/scopes.ts'
import { confidentialClient, type Fixture, memoryStores, seedResources } from './fixtures.ts'

const issuer = 'https://id.example.test'
let fixture: Fixture
let lookup: ConfigurationCache
const m2m = confidentialClient({
  clientId: 'm2m',
  allowedScopes: ['a.read', 'a.write', 'b', 'openid', 'off', 'lonely'],
})

beforeAll(async () => {
  fixture = await memoryStores()
  await fixture.stores.configuration.resources.upsertIdentityResource(
    identityResource(standardIdentityResources.openid!),
  )
  await seedResources(
    fixture,
    [
      { name: 'a.read' },
      { name: 'a.write' },
      { name: 'b' },
      { name: 'off', enabled: false },
      { name: 'lonely' },
    ],
    [
      { name: 'https://a.example', scopes: ['a.read', 'a.write'] },
      { name: 'https://b.example', scopes: ['b'], requireResourceIndicator: true },
      { name: 'https://disabled.example', scopes: ['a.read'], enabled: false },
    ],
  )
  lookup = new ConfigurationCache(fixture.stores.configuration, { clock: fixture.clock })
})
afterAll(() => fixture.close())

async function scopeError(requested: string[] | undefined, identityScopes = false): Promise<string> {
  try {
    await validateScopes(lookup, m2m, requested, { identityScopes })
  } catch (error) {
    return (error as OAuthError).error
  }
  return 'accepted'
}

describe('parseScope', () => {
  test('splits on spaces, drops repeats, and treats empty as absent', () => {
    expect(parseScope('a  b a')).toEqual(['a', 'b'])
    expect(parseScope(' ')).toBeUndefined()
    expect(parseScope(undefined)).toBeUndefined()
  })

  test('refuses characters outside scope-token (RFC 6749 §3.3)', () => {
    expect(() => parseScope('a "b"')).toThrow(OAuthError)
    expect(() => parseScope('a\\b')).toThrow(OAuthError)
  })
})

describe('validateScopes', () => {
  test('grants what was asked when allowed and existing', async () => {
    const granted = await validateScopes(lookup, m2m, ['a.read'], { identityScopes: false })
    expect(granted.scopes).toEqual(['a.read'])
    expect(granted.apiResources.map((r) => r.name)).toEqual(['https://a.example'])
  })

  test('nothing asked means every allowed, enabled API scope', async () => {
    const granted = await validateScopes(lookup, m2m, undefined, { identityScopes: false })
    expect(granted.scopes.sort()).toEqual(['a.read', 'a.write', 'b', 'lonely'])
    // Disabled API resources never become audiences.
    expect(granted.apiResources.map((r) => r.name).sort()).toEqual(['https://a.example', 'https://b.example'])
  })

  test('not allowed, unknown, disabled, and identity scopes where none may be granted are invalid_scope', async () => {
    expect(await scopeError(['c'])).toBe('invalid_scope')
    expect(await scopeError(['off'])).toBe('invalid_scope')
    expect(await scopeError(['openid'])).toBe('invalid_scope')
    expect(await scopeError(['profile'])).toBe('invalid_scope')
    expect(await scopeError(['openid'], true)).toBe('accepted')
  })
})

describe('selectAudience (RFC 8707)', () => {
  test('without resource: every granted API resource not insisting on being named', async () => {
    const granted = await validateScopes(lookup, m2m, ['a.read', 'b'], { identityScopes: false })
    expect(selectAudience(granted, [], issuer).audiences).toEqual(['https://a.example'])
  })

  test('with resource: only the named ones, scopes narrowed to theirs', async () => {
    const granted = await validateScopes(lookup, m2m, ['a.read', 'b'], { identityScopes: false })
    const narrowed = selectAudience(granted, ['https://b.example'], issuer)
    expect(narrowed.audiences).toEqual(['https://b.example'])
    expect(narrowed.scopes).toEqual(['b'])
  })

  test('no API resource at all: the static <issuer>/resources audience', async () => {
    const granted = await validateScopes(lookup, m2m, ['lonely'], { identityScopes: false })
    expect(selectAudience(granted, [], issuer).audiences).toEqual([`${issuer}/resources`])
  })

  test('a resource that is relative, has a fragment, or is not reachable is invalid_target', async () => {
    const granted = await validateScopes(lookup, m2m, ['a.read'], { identityScopes: false })
    for (const resource of [
      'a.example',
      'https://a.example#x',
      'https://b.example',
      'https://disabled.example',
    ]) {
      expect(() => selectAudience(granted, [resource], issuer)).toThrow(
        expect.objectContaining({ error: 'invalid_target' }),
      )
    }
  })
})
