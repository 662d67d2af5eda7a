/**
 * The application's database as the tests stand it up: the application's own tables, exactly
 * as it created them, in a fresh schema; the plugin's tables in another. Both are dropped again.
 */
import type postgres from 'postgres'
import { postgresUrl, withPostgres } from '../../../test/plugins/fixtures/sql/namespace.ts'
import type { AppUsersOptions } from '../index.ts'

export type TestOptions = Required<Pick<AppUsersOptions, 'url' | 'appSchema' | 'schema'>>

/** Options over fresh, empty application tables. */
export async function freshAppDatabase(): Promise<TestOptions> {
  const id = crypto.randomUUID().replaceAll('-', '').slice(0, 16)
  const options = { url: postgresUrl, appSchema: `app_${id}`, schema: `portico_${id}` }
  // One statement list, one round trip and one commit: the kit opens a namespace per test.
  await withPostgres((sql) =>
    sql.unsafe(`
      create schema "${options.appSchema}";
      create table "${options.appSchema}".app_users (
        id serial primary key,
        email text unique,
        display_name text,
        password_hash text, -- argon2id, from Bun.password
        disabled boolean);
      create table "${options.appSchema}".app_oauth_clients (
        client_id text primary key,
        name text,
        secret_sha256 text, -- hex
        redirect_uris text[],
        scopes text[]);`),
  )
  return options
}

export function dropAppDatabase(options: TestOptions): Promise<void> {
  return withPostgres(async (sql) => {
    await sql`drop schema if exists ${sql(options.schema)}, ${sql(options.appSchema)} cascade`
  })
}

/** Writes as the application would, straight into its tables. */
export function asTheApplication<T>(
  options: TestOptions,
  fn: (
    sql: postgres.Sql,
    tables: { users: postgres.Helper<string>; clients: postgres.Helper<string> },
  ) => Promise<T>,
): Promise<T> {
  return withPostgres((sql) =>
    fn(sql, {
      users: sql(`${options.appSchema}.app_users`),
      clients: sql(`${options.appSchema}.app_oauth_clients`),
    }),
  )
}

/**
 * Namespaces for the kit, which opens one per test: the next is created while a test runs, and
 * used ones are dropped in the background, so a test waits for neither. `close()` (in
 * `afterAll`) drops whatever is left.
 */
export function namespacePool() {
  let next = freshAppDatabase()
  const dropping: Promise<void>[] = []
  return {
    take(): Promise<TestOptions> {
      const taken = next
      next = freshAppDatabase()
      return taken
    },
    async drop(options: TestOptions): Promise<void> {
      dropping.push(dropAppDatabase(options))
    },
    async close(): Promise<void> {
      await Promise.all([...dropping, next.then(dropAppDatabase)])
    },
  }
}
