/**
 * Reads the configuration: the file (`--config` or PORTICO_CONFIG; `.json`, or `.ts`/`.js`
 * default-exporting `defineConfig(...)`), then `${VAR}` substitution, then environment
 * overrides, then validation. Any mistake throws one `ConfigError` listing all of them.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, extname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as v from 'valibot'
import { applyEnvOverrides, type Env } from './env.ts'
import { jsonSyntaxProblem, moduleLoadProblem } from './file-errors.ts'
import { ConfigError, type Problem, problemsFromIssues } from './problems.ts'
import { crossCheck, type PorticoConfig, resolveStores } from './resolve.ts'
import { configSchema } from './schema.ts'
import { substituteEnv } from './substitute.ts'

export interface LoadConfigOptions {
  /** From `--config`; falls back to PORTICO_CONFIG. */
  path?: string
  env?: Env
  cwd?: string
}

const moduleExtensions = new Set(['.ts', '.mts', '.js', '.mjs'])

export async function loadConfig(options: LoadConfigOptions = {}): Promise<PorticoConfig> {
  const env = options.env ?? process.env
  const cwd = options.cwd ?? process.cwd()
  const given = options.path ?? (env.PORTICO_CONFIG || undefined)
  const file = given === undefined ? undefined : resolve(cwd, given)
  const raw = file ? await readConfigFile(file, given!) : {}
  return parseConfig(raw, { env, baseDir: file ? dirname(file) : cwd, file, label: given })
}

/** Validates a config object (as a file would hold it) against the schema. */
export function parseConfig(
  raw: unknown,
  context: { env?: Env; baseDir: string; file?: string; label?: string },
): PorticoConfig {
  const env = context.env ?? {}
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([{ path: 'config', message: 'must be an object' }], context.label)
  }
  const problems: Problem[] = []
  // Functions (`authenticate`, `profile`: .ts configs) are neither substituted nor cloned: they rejoin after.
  const { authenticate, profile, ...data } = raw as Record<string, unknown>
  // So are `ui.pages` (page components).
  const { ui, pages } = splitUiPages(data.ui)
  if (ui !== undefined) data.ui = ui
  const substituted = substituteEnv(data, env, problems) as Record<string, unknown>
  if (problems.length) throw new ConfigError(problems, context.label)
  const { raw: merged, sources } = applyEnvOverrides(substituted, env)
  if (authenticate !== undefined) merged.authenticate = authenticate
  if (profile !== undefined) merged.profile = profile
  if (pages !== undefined) (merged.ui as Record<string, unknown>).pages = pages
  const result = v.safeParse(configSchema, merged, { abortEarly: false })
  if (!result.success) throw new ConfigError(problemsFromIssues(result.issues, sources), context.label)
  const crossProblems = crossCheck(result.output)
  if (crossProblems.length) throw new ConfigError(crossProblems, context.label)
  const { store: _store, stores: _stores, ...rest } = result.output
  return {
    ...rest,
    stores: resolveStores(result.output, context.baseDir),
    baseDir: context.baseDir,
    file: context.file,
  }
}

/** `ui` without its `pages` (functions in a .ts config), and the pages. */
function splitUiPages(ui: unknown): { ui: unknown; pages: unknown } {
  if (ui === null || typeof ui !== 'object' || Array.isArray(ui) || !('pages' in ui))
    return { ui, pages: undefined }
  const { pages, ...rest } = ui as Record<string, unknown>
  return { ui: rest, pages }
}

async function readConfigFile(file: string, label: string): Promise<unknown> {
  if (!existsSync(file)) {
    throw new ConfigError([{ path: 'config', message: `file not found (given "${label}")` }], label)
  }
  const extension = extname(file)
  if (extension === '.json') {
    const source = await readFile(file, 'utf8')
    try {
      return JSON.parse(source)
    } catch {
      throw new ConfigError(
        [{ path: 'config', message: `is not valid JSON (${jsonSyntaxProblem(source)})` }],
        label,
      )
    }
  }
  if (moduleExtensions.has(extension)) {
    let loaded: { default?: unknown }
    try {
      loaded = await import(pathToFileURL(file).href)
    } catch (error) {
      throw new ConfigError(
        [{ path: 'config', message: `could not be loaded (${moduleLoadProblem(error, file)})` }],
        label,
      )
    }
    if (loaded.default === undefined) {
      throw new ConfigError(
        [{ path: 'config', message: 'has no default export (export default defineConfig({...}))' }],
        label,
      )
    }
    return loaded.default
  }
  throw new ConfigError(
    [
      {
        path: 'config',
        message: `unsupported file type (given "${extension || label}", allowed .json, .ts, .js)`,
      },
    ],
    label,
  )
}
