/**
 * Opening the stores a config names: resolve each role's plugin (built-in name, npm package
 * or path), check what it declares, and create one instance per distinct plugin + options,
 * asking it for every role it serves in this deployment.
 */
import { isAbsolute, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Clock } from '../../core/clock.ts'
import type { Logger } from '../../core/logger.ts'
import type { ConfigurationStores } from '../../core/stores/configuration.ts'
import {
  CONTRACT_VERSION,
  type PluginInstance,
  type StoreRole,
  storeRoles,
} from '../../core/stores/contract.ts'
import { isStoreUnavailable } from '../../core/stores/errors.ts'
import type { KeyStore } from '../../core/stores/keys.ts'
import type { OperationalStores } from '../../core/stores/operational.ts'
import { scrubString } from '../logging/redact.ts'
import { PluginLoadError } from './errors.ts'
import { type AnyStorePlugin, builtinPlugins } from './registry.ts'
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
  /** Relative module paths resolve against this directory (the config file's). */
  baseDir: string
  clock: Clock
  logger: Logger
  /** Run each instance's `migrate()` before use. */
  migrate: boolean
  /** Only these roles (the CLI opens just what a verb needs). */
  roles?: readonly StoreRole[]
  /** Bound on `create()` and `migrate()`, so an unreachable backend fails start instead of hanging. */
  timeoutMs?: number
}

export interface OpenedStores {
  stores: Partial<Stores>
  instances: LoadedStore[]
  close(): Promise<void>
}

interface Group {
  spec: StoreSpec
  specifier: string
  roles: StoreRole[]
}

export async function openStores(options: OpenStoresOptions): Promise<OpenedStores> {
  const roles = options.roles ?? storeRoles
  const groups = new Map<string, Group>()
  for (const role of roles) {
    const spec = options.stores[role]
    const specifier = moduleSpecifier(spec.plugin, options.baseDir)
    const key = `${specifier}\u0000${stableJson(spec.options)}`
    const group = groups.get(key)
    if (group) group.roles.push(role)
    else groups.set(key, { spec, specifier, roles: [role] })
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
  const plugin = await importPlugin(spec.plugin, group.specifier, where)
  const missing = roles.filter((role) => !plugin.capabilities.roles.includes(role))
  if (missing.length) {
    throw new PluginLoadError(
      `${where}: plugin "${plugin.name}" cannot serve the ${listRoles(missing)} role${missing.length > 1 ? 's' : ''} (it serves ${listRoles(plugin.capabilities.roles) || 'none'})`,
    )
  }
  const logger = options.logger.child({ store: spec.plugin, roles })
  const timeoutMs = options.timeoutMs ?? 30_000
  let instance: PluginInstance
  try {
    instance = await withTimeout(
      plugin.create(spec.options, { roles, clock: options.clock, logger }),
      timeoutMs,
    )
  } catch (error) {
    throw new PluginLoadError(`${where}: ${reason(error, spec.options)}`)
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
function label(roles: readonly StoreRole[], plugin: string, target: string | undefined): string {
  return `${listRoles(roles)} store "${plugin}"${target ? ` (${target})` : ''}`
}

/** `configuration`, `configuration and keys`, `configuration, operational and keys`. */
function listRoles(roles: readonly StoreRole[]): string {
  return roles.length > 1 ? `${roles.slice(0, -1).join(', ')} and ${roles.at(-1)}` : (roles[0] ?? '')
}

function moduleSpecifier(plugin: string, baseDir: string): string {
  if (builtinPlugins[plugin]) return `builtin:${plugin}`
  if (plugin.startsWith('.') || isAbsolute(plugin)) return pathToFileURL(resolve(baseDir, plugin)).href
  return plugin
}

async function importPlugin(name: string, specifier: string, where: string): Promise<AnyStorePlugin> {
  const builtin = builtinPlugins[name]
  let module: { default?: unknown }
  try {
    module = builtin ? await builtin.load() : await import(specifier)
  } catch (error) {
    if (isModuleNotFound(error, builtin ? builtin.module : specifier)) {
      throw new PluginLoadError(
        builtin
          ? `${where}: built-in plugin "${name}" is not available (${builtin.module} is missing)`
          : `${where}: cannot find module "${name}" (install the package or check the path)`,
      )
    }
    throw new PluginLoadError(`${where}: plugin "${name}" failed to load: ${firstLine(error)}`)
  }
  const plugin = module.default
  if (!isPlugin(plugin)) {
    throw new PluginLoadError(`${where}: module "${name}" has no default export made with definePlugin()`)
  }
  if (plugin.contract !== CONTRACT_VERSION) {
    throw new PluginLoadError(
      `${where}: plugin "${plugin.name}" declares an unsupported store contract (given ${String(plugin.contract)}, allowed ${CONTRACT_VERSION})`,
    )
  }
  return plugin
}

function isPlugin(value: unknown): value is AnyStorePlugin {
  if (value === null || typeof value !== 'object') return false
  const candidate = value as Partial<AnyStorePlugin>
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.create === 'function' &&
    Array.isArray(candidate.capabilities?.roles) &&
    'contract' in candidate
  )
}

/** Only a failure to find the plugin module itself, not a module it imports. */
function isModuleNotFound(error: unknown, module: string): boolean {
  const message = error instanceof Error ? error.message : String(error)
  const code = (error as { code?: unknown })?.code
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (module|package)/i.test(message)
  if (!notFound) return false
  const tail = module.replace(/^file:\/\//, '').replace(/^\.\.\/\.\.\//, '')
  return message.includes(tail) || message.includes(module)
}

/** Why a store failed, in operator terms and without credentials. */
function reason(error: unknown, options: Record<string, unknown>): string {
  const code = findCode(error)
  if (code === 'ECONNREFUSED') return 'connection refused'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found'
  if (code === 'ETIMEDOUT' || code === 'ERR_STORE_TIMEOUT') return 'timed out'
  // A plugin's StoreUnavailableError only says which store; its cause says why.
  const cause = isStoreUnavailable(error) && error.cause !== undefined ? error.cause : error
  let text = firstLine(cause)
  for (const secret of credentials(options)) text = text.split(secret).join('***')
  return text
}

function findCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    // System error codes (ECONNREFUSED, EAI_AGAIN), not Portico's own ERR_* codes.
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code) && !code.startsWith('ERR_')) return code
    if (current instanceof AggregateError && current.errors.length) current = current.errors[0]
    else current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** Passwords found in the options (`password` fields, URL user-info), to blank out of messages. */
function credentials(options: Record<string, unknown>): string[] {
  const found: string[] = []
  for (const [key, value] of Object.entries(options)) {
    if (typeof value !== 'string' || !value) continue
    if (/pass|secret|token|key/i.test(key)) found.push(value)
    if (URL.canParse(value)) {
      const url = new URL(value)
      if (url.password) found.push(url.password, decodeURIComponent(url.password))
    }
  }
  return found.filter((value) => value.length >= 3)
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return scrubString(message.split('\n')[0]?.trim() || (error as Error)?.name || 'unknown error')
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

class TimeoutError extends Error {
  readonly code = 'ERR_STORE_TIMEOUT'
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
