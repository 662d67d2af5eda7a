/**
 * Built-in store plugins by name. Imports are lazy so a deployment only loads the driver it
 * uses (no Postgres client in a libSQL-only process).
 */
import type { StorePlugin } from '../../core/stores/contract.ts'

type PluginModule = { default?: unknown }

export const builtinPlugins: Record<string, { module: string; load: () => Promise<PluginModule> }> = {
  memory: { module: 'plugins/memory/index.ts', load: () => import('../../plugins/memory/index.ts') },
  libsql: { module: 'plugins/libsql/index.ts', load: () => importBuiltin('../../plugins/libsql/index.ts') },
  postgres: {
    module: 'plugins/postgres/index.ts',
    load: () => importBuiltin('../../plugins/postgres/index.ts'),
  },
  redis: { module: 'plugins/redis/index.ts', load: () => importBuiltin('../../plugins/redis/index.ts') },
}

/** Through a variable, so a built-in plugin that is not in the tree yet fails at run time only. */
function importBuiltin(path: string): Promise<PluginModule> {
  return import(path)
}

export type AnyStorePlugin = StorePlugin<Record<string, unknown>>
