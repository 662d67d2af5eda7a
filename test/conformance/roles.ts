/**
 * The plugin's declaration, and capability flags honoured: the kit only ever asks for declared
 * roles, and `create` returns a complete store set for each role it is asked for.
 */
import { CONTRACT_VERSION, type PluginInstance, type StoreRole, storeRoles } from '../../core/index.ts'
import { type Harness, testTimeoutMs } from './harness.ts'
import { TestClock } from './test-clock.ts'
import type { ConformanceTarget } from './types.ts'

/** Every method of every role, so a missing one fails here with its name, not deep in a test. */
const methods: Record<StoreRole, (instance: PluginInstance) => Record<string, object | undefined>> = {
  configuration: (i) => ({
    'configuration.clients': i.configuration?.clients,
    'configuration.resources': i.configuration?.resources,
    'configuration.users': i.configuration?.users,
  }),
  operational: (i) => ({
    'operational.grants': i.operational?.grants,
    'operational.deviceCodes': i.operational?.deviceCodes,
    'operational.sessions': i.operational?.sessions,
    'operational.replay': i.operational?.replay,
  }),
  keys: (i) => ({ keys: i.keys }),
}

const required: Record<string, string[]> = {
  'configuration.clients': ['findClientById', 'list', 'upsert', 'remove'],
  'configuration.resources': [
    'findIdentityResourcesByScopeName',
    'findApiScopesByName',
    'findApiResourcesByScopeName',
    'findApiResourcesByName',
    'getAllResources',
    'upsertIdentityResource',
    'upsertApiScope',
    'upsertApiResource',
    'removeIdentityResource',
    'removeApiScope',
    'removeApiResource',
  ],
  'configuration.users': ['findBySubjectId', 'findByUsername', 'upsert', 'setLockout', 'remove'],
  'operational.grants': ['store', 'get', 'consume', 'getAll', 'removeAll', 'remove', 'purgeExpired'],
  'operational.deviceCodes': [
    'store',
    'findByDeviceCode',
    'findByUserCode',
    'authorize',
    'deny',
    'consume',
    'remove',
    'purgeExpired',
  ],
  'operational.sessions': [
    'create',
    'get',
    'findBySessionId',
    'touch',
    'remove',
    'listBySubject',
    'removeBySubject',
    'purgeExpired',
  ],
  'operational.replay': ['addIfAbsent', 'purgeExpired'],
  keys: ['list', 'add', 'update', 'remove'],
}

/** The roles to test: `target.roles` or every declared role. Throws on a role the plugin lacks. */
export function rolesUnderTest<O>(target: ConformanceTarget<O>): StoreRole[] {
  const declared = target.plugin.capabilities?.roles ?? []
  const roles = target.roles ?? [...declared]
  const undeclared = roles.filter((role) => !declared.includes(role))
  if (undeclared.length > 0) {
    throw new Error(
      `conformance target asks for role(s) ${undeclared.join(', ')} that plugin "${target.plugin.name}" does not declare in capabilities.roles`,
    )
  }
  if (roles.length === 0) throw new Error(`plugin "${target.plugin.name}" declares no roles to test`)
  return roles
}

export function roleTests<O>(h: Harness<O>): void {
  const { runner, target, verify } = h
  runner.describe('plugin declaration and roles', () => {
    runner.test('declares contract 1, a name and only known roles', () => {
      const { plugin } = target
      verify.same(plugin.contract, CONTRACT_VERSION, `plugin.contract must be ${CONTRACT_VERSION}`)
      verify.same(
        typeof plugin.name === 'string' && plugin.name.length > 0,
        true,
        'plugin.name must be non-empty',
      )
      for (const role of plugin.capabilities.roles) {
        verify.same(storeRoles.includes(role), true, `capabilities.roles holds an unknown role "${role}"`)
      }
    })

    if (target.plugin.options) {
      runner.test('the declared options schema accepts the options the kit is given', async () => {
        const options = await target.options()
        try {
          const result = await target.plugin.options!['~standard'].validate(options)
          const problems = (result.issues ?? []).map(
            (issue) =>
              `${(issue.path ?? []).map((item) => String(typeof item === 'object' ? item.key : item)).join('.') || 'options'}: ${issue.message}`,
          )
          verify.equal(
            problems,
            [],
            'plugin.options must accept what target.options() returns (Portico validates an operator’s options with it before create())',
          )
        } finally {
          await target.cleanup?.(options)
        }
      })
    }

    for (const role of h.roles) {
      runner.test(
        `create() with roles ['${role}'] returns every ${role} store and method`,
        async () => {
          const options = await target.options()
          let instance: PluginInstance | undefined
          try {
            instance = await h.create(options, [role], new TestClock())
            if (instance.migrate) await instance.migrate()
            for (const [store, value] of Object.entries(methods[role](instance))) {
              verify.same(typeof value, 'object', `create() for the ${role} role must return ${store}`)
              for (const method of required[store] ?? []) {
                const fn = (value as Record<string, unknown> | undefined)?.[method]
                verify.same(typeof fn, 'function', `${store}.${method} must be a function`)
              }
            }
            verify.same(typeof instance.health, 'function', 'the instance must have health()')
            verify.same(typeof instance.close, 'function', 'the instance must have close()')
          } finally {
            await instance?.close()
            await target.cleanup?.(options)
          }
        },
        testTimeoutMs,
      )
    }
  })
}
