/**
 * Store URLs (`PORTICO_STORE=postgres://…`): the scheme picks the built-in plugin, the URL
 * becomes its `url` option. Also how a store is described in messages without its password.
 */
export interface StoreSpec {
  /** A built-in name (`memory`, `libsql`, `postgres`, `redis`) or a module specifier. */
  plugin: string
  options: Record<string, unknown>
}

const schemes: Record<string, string> = {
  'memory:': 'memory',
  'file:': 'libsql',
  'libsql:': 'libsql',
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'redis:': 'redis',
  'rediss:': 'redis',
}

export const storeUrlSchemes = Object.keys(schemes)

/** The scheme of a store URL, lower-cased with its colon, or undefined when there is none. */
export function storeUrlScheme(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*:)/i.exec(url)?.[1]?.toLowerCase()
}

/** The spec a store URL stands for, or undefined when its scheme is not one of `storeUrlSchemes`. */
export function storeFromUrl(url: string): StoreSpec | undefined {
  const scheme = storeUrlScheme(url)
  const plugin = scheme ? schemes[scheme] : undefined
  if (!plugin) return undefined
  return { plugin, options: plugin === 'memory' ? {} : { url } }
}

/**
 * Where a store points, for messages: `127.0.0.1:5432`, `./data/portico.db`. Never includes
 * user, password or query (which may carry credentials).
 */
export function describeTarget(options: Record<string, unknown>): string | undefined {
  const url = options.url
  if (typeof url !== 'string') return undefined
  if (/^file:/i.test(url)) return url.slice('file:'.length).split('?')[0]
  if (url === ':memory:') return url
  try {
    const parsed = new URL(url)
    return parsed.host || undefined
  } catch {
    return undefined
  }
}
