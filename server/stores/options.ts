/**
 * A plugin's options checked against the schema it declares (`definePlugin({ options })`),
 * before `create()`: each problem becomes a configuration line under the store's path,
 * `stores.operational.options.prefx: unknown key (allowed …)`, like every other config mistake.
 */
import type { StoreRole } from '../../core/stores/contract.ts'
import { ConfigError, formatPath, type Problem } from '../config/problems.ts'
import type { AnyStorePlugin } from './registry.ts'

/**
 * The options `create()` gets: the schema's output (defaults applied) or, without a schema,
 * the options as given. Throws ConfigError listing every problem.
 */
export async function validatedOptions(
  plugin: AnyStorePlugin,
  options: Record<string, unknown>,
  roles: readonly StoreRole[],
): Promise<Record<string, unknown>> {
  const schema = plugin.options
  if (!schema) return options
  const result = await schema['~standard'].validate(options)
  if (!result.issues) return result.value
  const base = optionsPath(roles)
  const problems: Problem[] = result.issues.map((issue) => ({
    path: formatPath([
      ...base,
      ...(issue.path ?? []).map((item) => (typeof item === 'object' ? item.key : item)),
    ]),
    message: issue.message,
  }))
  throw new ConfigError(problems)
}

/** Where the options were written: `store.options` when one store serves every role, else the first role's. */
function optionsPath(roles: readonly StoreRole[]): PropertyKey[] {
  return roles.length === 3 ? ['store', 'options'] : ['stores', roles[0]!, 'options']
}
