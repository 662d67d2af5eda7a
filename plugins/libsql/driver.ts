/**
 * The libSQL driver: an embedded SQLite file (WAL, busy timeout) or a remote sqld / Turso
 * database, under drizzle.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { type Client, createClient } from '@libsql/client'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/libsql'
import type { SqlDatabase } from '../sql/dialect.ts'
import type { SqlDriver } from '../sql/instance.ts'
import { classifyLibsqlError } from './errors.ts'
import { migrateLibsql } from './migrate.ts'
import { migrations } from './migrations.ts'
import type { normalizeOptions } from './options.ts'
import * as tables from './schema.ts'
import { statementClient } from './statements.ts'

/** The file behind a `file:` URL, or undefined for in-memory and remote databases. */
function filePath(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined
  const path = url.slice('file:'.length).split('?')[0]!
  return path === '' || path === ':memory:' ? undefined : path.replace(/^\/\/(?=\/)/, '')
}

export function libsqlDriver(options: ReturnType<typeof normalizeOptions>): SqlDriver {
  const file = filePath(options.url)
  if (file !== undefined) {
    // The database holds hashed secrets and encrypted keys: a new folder is 0700 and a new file
    // 0600 (SQLite gives its -wal and -shm files the database file's mode). Existing ones are
    // left as the operator set them.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    closeSync(openSync(file, 'a', 0o600))
  }
  const client = createClient({
    url: options.url,
    authToken: options.authToken,
    timeout: options.busyTimeout,
  })
  const db = drizzle({ client })
  // An in-memory database lives on one connection only, and a remote one has no statement to
  // keep: those run the prepared queries on the client too.
  const statements = file === undefined ? undefined : statementClient(file, { timeout: options.busyTimeout })
  return {
    name: 'libsql',
    db: db as unknown as SqlDatabase,
    preparedDb: (statements
      ? drizzle({ client: statements as unknown as Client })
      : db) as unknown as SqlDatabase,
    tables,
    // SQLite has one writer at a time: batches never overlap, so there is nothing to skip.
    purgeLock: sql``,
    byCodePoint: sql``,
    async atomic(writes) {
      // One libSQL batch: a single transaction, run without yielding to other callers.
      if (writes.length > 0) await db.batch(writes as unknown as Parameters<typeof db.batch>[0])
    },
    classify: classifyLibsqlError,
    async ping() {
      await client.execute('select 1')
    },
    async migrate() {
      // WAL lets readers go on while one connection writes; it is kept in the file.
      if (file !== undefined) await client.execute('pragma journal_mode = wal')
      await migrateLibsql(client, options.url, migrations())
    },
    async close() {
      statements?.close()
      client.close()
    },
  }
}
