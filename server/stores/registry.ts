/**
 * Built-in store plugins by name. Imports are lazy so a deployment only loads the driver it
 * uses (no Postgres client in a libSQL-only process), and static, so a bundler (the single
 * binary's `bun build --compile`) sees and embeds every built-in plugin.
 */
import type { StorePlugin } from '../../core/stores/contract.ts'

type PluginModule = { default?: unknown }

export const builtinPlugins: Record<string, { module: string; load: () => Promise<PluginModule> }> = {
  memory: { module: 'plugins/memory/index.ts', load: () => import('../../plugins/memory/index.ts') },
  libsql: { module: 'plugins/libsql/index.ts', load: () => import('../../plugins/libsql/index.ts') },
  postgres: { module: 'plugins/postgres/index.ts', load: () => import('../../plugins/postgres/index.ts') },
  redis: { module: 'plugins/redis/index.ts', load: () => import('../../plugins/redis/index.ts') },
}

export type AnyStorePlugin = StorePlugin<Record<string, unknown>>
