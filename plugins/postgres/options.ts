import type { ConnectionOptions } from 'node:tls'
import * as v from 'valibot'
import { type OptionsSchema, optionRules as o } from '../../core/stores/options.ts'

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string
  /**
   * The Postgres schema holding Portico's tables and migration history (default `public`), so
   * one database can host several deployments. Lower-case letters, digits and `_`.
   */
  schema?: string
  /** Connections in the pool (default 10). */
  poolSize?: number
  /** TLS: `true` / `'require'` without verification, `'verify-full'`, or node:tls options. */
  ssl?: boolean | 'require' | 'prefer' | 'verify-full' | ConnectionOptions
  /** Seconds to wait for a connection before failing (default 5). */
  connectTimeout?: number
  /**
   * Seconds any store call may wait for the database before it fails as unavailable (503)
   * (default 10): a server that hangs, behind a network partition or in a stall, is an outage.
   */
  queryTimeout?: number
  /** How its connections are named in `pg_stat_activity` (default `portico`). */
  applicationName?: string
  /**
   * Apply pending migrations in `create()` (default false: the server runs `migrate()` at start
   * unless its `migrate.auto` is off, and `bun run portico migrate` does it on demand).
   */
  migrate?: boolean
}

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/

/** What an operator may write; `normalizeOptions` applies the defaults. */
export const postgresOptionsSchema = o.strict({
  url: o.url(['postgres:', 'postgresql:']),
  schema: v.optional(
    v.pipe(
      o.text(),
      v.regex(
        schemaName,
        (i) => `must be lower-case letters, digits and _, at most 63 (given ${i.received})`,
      ),
    ),
  ),
  poolSize: v.optional(o.integer(1, 1000)),
  ssl: v.optional(
    v.union(
      [v.boolean(), v.picklist(['require', 'prefer', 'verify-full']), v.record(v.string(), v.unknown())],
      (i) =>
        `must be true, false, "require", "prefer", "verify-full" or node:tls options (given ${i.received})`,
    ),
  ),
  connectTimeout: v.optional(o.integer(1, 3600)),
  queryTimeout: v.optional(o.integer(1, 3600)),
  applicationName: v.optional(
    v.pipe(o.text(), v.maxLength(63, 'is too long (allowed at most 63 characters)')),
  ),
  migrate: v.optional(o.flag()),
}) as unknown as OptionsSchema<PostgresOptions>

/** The options with defaults applied; throws a clear error on a bad value. */
export function normalizeOptions(
  options: PostgresOptions,
): Required<Omit<PostgresOptions, 'ssl'>> & Pick<PostgresOptions, 'ssl'> {
  if (typeof options?.url !== 'string' || !/^postgres(ql)?:\/\//.test(options.url)) {
    throw new TypeError('postgres: options.url must be a postgres:// URL')
  }
  const schema = options.schema ?? 'public'
  if (!schemaName.test(schema)) {
    throw new TypeError(`postgres: options.schema "${schema}" must match ${schemaName}`)
  }
  const poolSize = options.poolSize ?? 10
  if (!Number.isInteger(poolSize) || poolSize < 1)
    throw new TypeError('postgres: options.poolSize must be >= 1')
  return {
    url: options.url,
    schema,
    poolSize,
    ssl: options.ssl,
    connectTimeout: options.connectTimeout ?? 5,
    queryTimeout: options.queryTimeout ?? 10,
    applicationName: options.applicationName ?? 'portico',
    migrate: options.migrate ?? false,
  }
}
