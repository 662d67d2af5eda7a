/**
 * Opening the stores a config names: resolve each role's plugin (built-in name, npm package
 * or path), check what it declares, and create one instance per distinct plugin + options,
 * asking it for every role it serves in this deployment.
 */
import type { Clock } from '../../core/clock.ts'
import type { Logger } from '../../core/logger.ts'
import type { ConfigurationStores } from '../../core/stores/configuration.ts'
import { type PluginInstance, type StoreRole, storeRoles } from '../../core/stores/contract.ts'
import type { KeyStore } from '../../core/stores/keys.ts'
import type { OperationalStores } from '../../core/stores/operational.ts'
import { PluginLoadError } from './errors.ts'
import { reason, withTimeout } from './failure.ts'
import { importPlugin } from './import.ts'
import { validatedOptions } from './options.ts'
import { type PluginSource, pluginSource } from './resolve.ts'
import { describeTarget, type StoreSpec } from './url.ts'

/** One plugin instance and the roles it serves. */
export interface LoadedStore {
  /** The plugin as configured (`postgres`, `./my-plugin.ts`). */
  plugin: string
  roles: StoreRole[]
  /** `127.0.0.1:5432`, a file path …; never credentials. */
  target?: string
  instance: PluginInstance
}

export interface Stores {
  configuration: ConfigurationStores
  operational: OperationalStores
  keys: KeyStore
}

export interface OpenStoresOptions {
  stores: Record<StoreRole, StoreSpec>
  /** Relative paths, and package names first, resolve from this directory (the config file's). */
  baseDir: string
  clock: Clock
  logger: Logger
  /** Run each instance's `migrate()` before use. */
  migrate: boolean
  /** Only these roles (the CLI opens just what a verb needs). */
  roles?: readonly StoreRole[]
  /** Bound on `create()` and `migrate()`, so an unreachable backend fails start instead of hanging. */
  timeoutMs?: number
  /**
   * Ask each instance's `health()` once it is open (default true), so an unreachable backend
   * stops the start the same way for every plugin, whether its `create()` connects eagerly
   * (and fails) or lazily (and resolves).
   */
  checkHealth?: boolean
}

/** How long `health()` may take at start: the contract asks for an answer within a few seconds. */
export const startHealthTimeoutMs = 5000

export interface OpenedStores {
  stores: Partial<Stores>
  instances: LoadedStore[]
  close(): Promise<void>
}

interface Group {
  spec: StoreSpec
  source: PluginSource
  roles: StoreRole[]
}

export async function openStores(options: OpenStoresOptions): Promise<OpenedStores> {
  const roles = options.roles ?? storeRoles
  const groups = new Map<string, Group>()
  for (const role of roles) {
    const spec = options.stores[role]
    const source = pluginSource(spec.plugin, options.baseDir)
    const key = `${source.key}\u0000${stableJson(spec.options)}`
    const group = groups.get(key)
    if (group) group.roles.push(role)
    else groups.set(key, { spec, source, roles: [role] })
  }

  const instances: LoadedStore[] = []
  const closeAll = async () => {
    await Promise.allSettled(instances.map((loaded) => loaded.instance.close()))
  }
  try {
    for (const group of groups.values()) instances.push(await openGroup(group, options))
  } catch (error) {
    await closeAll()
    throw error
  }

  const stores: Partial<Stores> = {}
  for (const loaded of instances) {
    for (const role of loaded.roles) {
      const roleStores = loaded.instance[role]
      if (!roleStores) {
        await closeAll()
        throw new PluginLoadError(
          `${label(loaded.roles, loaded.plugin, loaded.target)}: create() returned no ${role} stores`,
        )
      }
      Object.assign(stores, { [role]: roleStores })
    }
  }
  return { stores, instances, close: closeAll }
}

async function openGroup(group: Group, options: OpenStoresOptions): Promise<LoadedStore> {
  const { spec, roles } = group
  const target = describeTarget(spec.options)
  const where = label(roles, spec.plugin, target)
  const plugin = await importPlugin(spec.plugin, group.source, where)
  const missing = roles.filter((role) => !plugin.capabilities.roles.includes(role))
  if (missing.length) {
    throw new PluginLoadError(
      `${where}: plugin "${plugin.name}" cannot serve the ${listRoles(missing)} role${missing.length > 1 ? 's' : ''} (it serves ${listRoles(plugin.capabilities.roles) || 'none'})`,
    )
  }
  const pluginOptions = await validatedOptions(plugin, spec.options, roles)
  const logger = options.logger.child({ store: spec.plugin, roles })
  const timeoutMs = options.timeoutMs ?? 30_000
  let instance: PluginInstance
  try {
    instance = await withTimeout(
      plugin.create(pluginOptions, { roles, clock: options.clock, logger }),
      timeoutMs,
    )
  } catch (error) {
    throw new PluginLoadError(`${where}: ${reason(error, spec.options)}`)
  }
  if (options.checkHealth ?? true) {
    try {
      await withTimeout(instance.health(), startHealthTimeoutMs)
    } catch (error) {
      await instance.close().catch(() => {})
      throw new PluginLoadError(`${where}: ${reason(error, spec.options)}`)
    }
  }
  if (options.migrate && instance.migrate) {
    try {
      await withTimeout(instance.migrate(), timeoutMs)
    } catch (error) {
      await instance.close().catch(() => {})
      throw new PluginLoadError(`${where}: migration failed: ${reason(error, spec.options)}`)
    }
  }
  logger.info('store.opened', { plugin: plugin.name, target })
  return { plugin: spec.plugin, roles, target, instance }
}

/** `operational store "postgres" (127.0.0.1:5432)`; several roles read `configuration and keys store …`. */
export function label(roles: readonly StoreRole[], plugin: string, target: string | undefined): string {
  return `${listRoles(roles)} store "${plugin}"${target ? ` (${target})` : ''}`
}

/** `configuration`, `configuration and keys`, `configuration, operational and keys`. */
function listRoles(roles: readonly StoreRole[]): string {
  return roles.length > 1 ? `${roles.slice(0, -1).join(', ')} and ${roles.at(-1)}` : (roles[0] ?? '')
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
