/**
 * `${VAR}` in any string of the config file is replaced by that environment variable, so
 * files need not hold secrets (`"url": "postgres://portico:${PORTICO_DB_PASSWORD}@db/portico"`).
 * `$${VAR}` stands for a literal `${VAR}`. An unset variable is a configuration error.
 */
import { formatPath, type Problem } from './problems.ts'

type Env = Record<string, string | undefined>

const reference = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g

export function substituteEnv(
  value: unknown,
  env: Env,
  problems: Problem[],
  path: PropertyKey[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(reference, (whole, escaped: string, name: string) => {
      if (escaped) return whole.slice(1)
      const found = env[name]
      if (found === undefined) {
        problems.push({ path: formatPath(path), message: `environment variable ${name} is not set` })
        return ''
      }
      return found
    })
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, problems, [...path, i]))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value))
      out[key] = substituteEnv(item, env, problems, [...path, key])
    return out
  }
  return value
}
