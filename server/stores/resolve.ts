/**
 * Where a configured plugin is loaded from. A plugin is named one of three ways:
 *
 * - a built-in name (`memory`, `libsql`, `postgres`, `redis`);
 * - a path (`./acme.ts`, `/opt/acme`), relative to the config file's directory; a directory is a
 *   package and loads through its package.json `exports` (or `main`), as an import of it would;
 * - a package name (`@acme/portico-store-dynamo`), looked up as an import from the config file's
 *   directory, then from the working directory, then from Portico's own installation: the
 *   operator's project wins over a copy installed with the server.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { builtinPlugins } from './registry.ts'

export type PluginSource =
  | { kind: 'builtin'; key: string }
  | { kind: 'module'; key: string; specifier: string }
  /** A package installed in none of the places looked in (`searched`). */
  | { kind: 'missing'; key: string; searched: string[] }

/** The directory of Portico's own package.json. */
const porticoRoot = fileURLToPath(new URL('../../', import.meta.url))

export function isPath(plugin: string): boolean {
  return plugin.startsWith('.') || isAbsolute(plugin)
}

export function pluginSource(plugin: string, configDir: string, cwd = process.cwd()): PluginSource {
  if (builtinPlugins[plugin]) return { kind: 'builtin', key: `builtin:${plugin}` }
  if (isPath(plugin)) {
    const path = resolve(configDir, plugin)
    const entry = isDirectory(path) ? packageEntry(path) : path
    const specifier = pathToFileURL(entry).href
    return { kind: 'module', key: specifier, specifier }
  }
  const searched = [...new Set([configDir, cwd, porticoRoot].map((dir) => resolve(dir)))]
  for (const dir of searched) {
    const installed = installedFrom(plugin, dir)
    if (installed === undefined) continue
    const specifier = resolveFrom(plugin, dir, installed)
    return { kind: 'module', key: specifier, specifier }
  }
  return { kind: 'missing', key: `missing:${plugin}`, searched }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/**
 * A package directory's entry point: its `exports` (a package refers to itself by its own name
 * from inside, Node's self-reference), else `main`, else `index` as an import would pick.
 */
function packageEntry(dir: string): string {
  let manifest: { name?: unknown; exports?: unknown; main?: unknown } = {}
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  } catch {
    // No package.json: an import of the directory finds its index file.
  }
  if (typeof manifest.name === 'string' && manifest.exports !== undefined) {
    try {
      return Bun.resolveSync(manifest.name, dir)
    } catch {
      // Unresolvable exports: the import below reports the path it could not load.
    }
  }
  if (typeof manifest.main === 'string') return resolve(dir, manifest.main)
  try {
    return Bun.resolveSync(dir, dir)
  } catch {
    return dir
  }
}

/**
 * The package's directory when `name` is installed in a node_modules folder on the way up from
 * `dir`, as Node looks for it. Checked before resolving, because Bun would otherwise fall back
 * to its global auto-install cache and load a package nobody installed.
 */
function installedFrom(name: string, dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dirname(current) === current) return undefined
  }
}

function resolveFrom(name: string, dir: string, installed: string): string {
  try {
    return pathToFileURL(Bun.resolveSync(name, dir)).href
  } catch {
    // Installed, but its exports lead nowhere: importing the directory reports it.
    return pathToFileURL(installed).href
  }
}
