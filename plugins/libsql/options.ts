import * as v from 'valibot'
import { type OptionsSchema, optionRules as o } from '../../core/stores/options.ts'

export interface LibsqlOptions {
  /**
   * `file:./data/portico.db` for an embedded database (its directory is created), or
   * `libsql://…` / `http(s)://…` / `ws(s)://…` for a remote sqld or Turso database.
   */
  url: string
  /** The token of a remote database. */
  authToken?: string
  /** Milliseconds a write waits for another connection's lock on a file database (default 5000). */
  busyTimeout?: number
  /**
   * Apply pending migrations in `create()` (default false: the server runs `migrate()` at start
   * unless its `migrate.auto` is off, and `bun run portico migrate` does it on demand).
   */
  migrate?: boolean
}

/** What an operator may write; `normalizeOptions` applies the defaults. */
export const libsqlOptionsSchema = o.strict({
  url: o.url(['file:', 'libsql:', 'http:', 'https:', 'ws:', 'wss:']),
  authToken: v.optional(o.text()),
  busyTimeout: v.optional(o.integer(0, 600_000)),
  migrate: v.optional(o.flag()),
}) as unknown as OptionsSchema<LibsqlOptions>

export function normalizeOptions(
  options: LibsqlOptions,
): Required<Omit<LibsqlOptions, 'authToken'>> & Pick<LibsqlOptions, 'authToken'> {
  if (typeof options?.url !== 'string' || !/^(file|libsql|https?|wss?):/.test(options.url)) {
    throw new TypeError('libsql: options.url must be a file:, libsql:, http(s): or ws(s): URL')
  }
  return {
    url: options.url,
    authToken: options.authToken,
    busyTimeout: options.busyTimeout ?? 5000,
    migrate: options.migrate ?? false,
  }
}
