import type { SQL, SQLWrapper } from 'drizzle-orm'
import type { Clock } from '../../core/clock.ts'
import type { SqlDatabase } from './dialect.ts'
import type { SqlTables } from './schema.ts'

/** What every shared store is built from. */
export interface SqlContext {
  db: SqlDatabase
  /**
   * Where the hot lookups' prepared queries run (and the list lookups of the configuration, which
   * the cache only misses once per epoch): on an embedded libSQL file a connection that keeps each
   * statement prepared and hands drizzle the driver's row arrays (plugins/libsql/statements.ts);
   * elsewhere `db`. Only queries that select fields (or return them) run here.
   */
  preparedDb: SqlDatabase
  tables: SqlTables
  clock: Clock
  /**
   * Appended to the row selection of a purge batch. Postgres uses `FOR UPDATE SKIP LOCKED`, so
   * instances purging at once delete disjoint batches instead of waiting on each other.
   */
  purgeLock: SQL
  /**
   * How a purge batch names the rows it selected, when not by primary key: Postgres `ctid`, so
   * the DELETE reaches each row by a TID scan instead of a probe of the primary-key index
   * (docs/performance.md, Stores). The rows are locked by the same
   * statement's `FOR UPDATE`, so their ctid cannot change before they are deleted.
   */
  purgeRowId?: SQL
  /** The store's call deadline (`callTimeoutMs`) and name, which a purge applies to each batch. */
  batchDeadline?: { store: string; ms: number }
  /**
   * Put after a text column in ORDER BY, so ordered lists follow Unicode code point order
   * whatever the database's collation: ` collate "C"` on Postgres; nothing on SQLite, whose
   * BINARY collation already does.
   */
  byCodePoint: SQL
  /**
   * Runs these writes (built, not awaited) as one transaction. Not an interactive transaction:
   * libSQL runs an embedded file's statements on the JS thread, so a transaction left open
   * across an await would block every other connection of the process.
   */
  atomic(writes: SQLWrapper[]): Promise<void>
}
