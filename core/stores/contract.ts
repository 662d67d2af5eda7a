/**
 * The store plugin contract (version 1). A plugin is a module whose default export is
 * `definePlugin({...})`; the server asks it for the roles its config assigns to it.
 *
 * @example
 * export default definePlugin({
 *   name: 'acme',
 *   contract: 1,
 *   capabilities: { roles: ['operational'], nativeTtl: true },
 *   async create(options, context) {
 *     return { operational: ..., health: async () => {}, close: async () => {} }
 *   },
 * })
 */
import type { Clock } from '../clock.ts'
import type { Logger } from '../logger.ts'
import type { ConfigurationStores } from './configuration.ts'
import type { KeyStore } from './keys.ts'
import type { OperationalStores } from './operational.ts'
import type { OptionsSchema } from './options.ts'

export const CONTRACT_VERSION = 1

export type StoreRole = 'configuration' | 'operational' | 'keys'
export const storeRoles: readonly StoreRole[] = ['configuration', 'operational', 'keys']

export interface PluginCapabilities {
  /** The roles this plugin can serve; it is never asked for others. */
  roles: readonly StoreRole[]
  /** The backend expires records by itself (Redis TTLs); stores still check `expiresAt` on read. */
  nativeTtl?: boolean
}

export interface PluginContext {
  /** The roles wanted from this instance: a subset of `capabilities.roles`. */
  roles: readonly StoreRole[]
  clock: Clock
  logger: Logger
}

/** What `create` returns: the requested role stores plus lifecycle hooks. */
export interface PluginInstance {
  configuration?: ConfigurationStores
  operational?: OperationalStores
  keys?: KeyStore
  /** Resolves when the backend answers; rejects (quickly) when it does not. */
  health(): Promise<void>
  /** Releases every connection and timer, so the process can exit. Idempotent. */
  close(): Promise<void>
  /** Brings the backend's schema up to date. Idempotent and safe to run from several instances. */
  migrate?(): Promise<void>
}

export interface StorePlugin<Options = unknown> {
  name: string
  contract: typeof CONTRACT_VERSION
  capabilities: PluginCapabilities
  /**
   * The schema of the options (any Standard Schema; see options.ts). Portico validates the
   * operator's options with it before `create`, which then receives the schema's output, and
   * reports every problem as a configuration mistake (exit status 2).
   */
  options?: OptionsSchema<Options>
  create(options: Options, context: PluginContext): Promise<PluginInstance>
}

/** Declares a store plugin. An identity function that gives plugin authors type checking. */
export function definePlugin<Options>(plugin: StorePlugin<Options>): StorePlugin<Options> {
  return plugin
}
