/**
 * Finding a store plugin: a built-in name, a path, or an npm package whose default export is
 * `definePlugin(...)`, written for the contract version this server speaks.
 */
import { CONTRACT_VERSION } from '../../core/stores/contract.ts'
import { PluginLoadError } from './errors.ts'
import { firstLine } from './failure.ts'
import { type AnyStorePlugin, builtinPlugins } from './registry.ts'
import { isPath, type PluginSource } from './resolve.ts'

/** Imports the plugin and checks what it declares, failing with one line naming the store. */
export async function importPlugin(
  name: string,
  source: PluginSource,
  where: string,
): Promise<AnyStorePlugin> {
  if (source.kind === 'missing') {
    throw new PluginLoadError(
      `${where}: cannot find package "${name}" (looked in node_modules from ${listDirs(source.searched)}; install it beside the config file)`,
    )
  }
  const builtin = builtinPlugins[name]
  const specifier = source.kind === 'module' ? source.specifier : undefined
  let module: { default?: unknown }
  try {
    module = builtin ? await builtin.load() : await import(specifier!)
  } catch (error) {
    if (isModuleNotFound(error, builtin ? builtin.module : specifier!)) {
      throw new PluginLoadError(
        builtin
          ? `${where}: built-in plugin "${name}" is not available (${builtin.module} is missing)`
          : `${where}: cannot find ${isPath(name) ? 'module' : 'package'} "${name}" (${isPath(name) ? 'check the path' : 'install the package'})`,
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

/** `/etc/portico, /srv/app and /opt/portico`. */
function listDirs(dirs: readonly string[]): string {
  return dirs.length > 1 ? `${dirs.slice(0, -1).join(', ')} and ${dirs.at(-1)}` : (dirs[0] ?? '')
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
