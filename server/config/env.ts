/**
 * Environment variables of the operator contract override the file. Each override remembers
 * which variable it came from, so a bad value is reported under the variable's name.
 */
export type Env = Record<string, string | undefined>

type Raw = Record<string, unknown>

/** config path -> variable; the order is the order in which they apply. */
const overrides: [variable: string, path: string[]][] = [
  ['PORT', ['port']],
  ['PORTICO_ISSUER', ['issuer']],
  ['PORTICO_ALLOWED_HOSTS', ['allowedHosts']],
  ['PORTICO_STORE', ['store']],
  ['PORTICO_CONFIGURATION_STORE', ['stores', 'configuration']],
  ['PORTICO_OPERATIONAL_STORE', ['stores', 'operational']],
  ['PORTICO_KEY_STORE', ['stores', 'keys']],
  ['PORTICO_KEY_SECRET', ['keySecret']],
  ['PORTICO_LOG_LEVEL', ['log', 'level']],
]

export const overrideVariables = overrides.map(([variable]) => variable)

export function applyEnvOverrides(raw: Raw, env: Env): { raw: Raw; sources: Map<string, string> } {
  const out: Raw = structuredClone(raw)
  const sources = new Map<string, string>()
  for (const [variable, path] of overrides) {
    const value = env[variable]
    if (value === undefined || value === '') continue
    // PORTICO_STORE means one store for everything: per-role stores from the file give way.
    if (variable === 'PORTICO_STORE') delete out.stores
    setPath(out, path, envValue(variable, value))
    sources.set(path.join('.'), variable)
  }
  return { raw: out, sources }
}

function envValue(variable: string, value: string): unknown {
  if (variable === 'PORT' && /^\d+$/.test(value)) return Number(value)
  // A comma-separated list: `id.example.com,localhost:3000`.
  if (variable === 'PORTICO_ALLOWED_HOSTS') return value.split(',').map((host) => host.trim())
  return value
}

function setPath(target: Raw, path: string[], value: unknown): void {
  let node = target
  for (const key of path.slice(0, -1)) {
    const next = node[key]
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {}
    node = node[key] as Raw
  }
  node[path.at(-1)!] = value
}
