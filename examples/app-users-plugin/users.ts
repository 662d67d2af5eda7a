/**
 * Users: the application's `app_users` rows, read-only, mapped onto Portico's User model (the
 * `sub` is the row's id, the username its email, the password its argon2id hash as
 * `Bun.password` wrote it); their failed-login records in the plugin's `lockouts` table; and
 * users Portico adds itself, kept whole in the plugin's `users` table.
 */

import { type Logger, StoreConflictError, type User, type UserLockout, type UserStore } from 'portico'
import type postgres from 'postgres'
import { AppOwnedError } from './app-owned.ts'
import type { Database } from './database.ts'
import { storable } from './records.ts'

interface AppUserRow {
  id: number
  email: string
  display_name: string | null
  password_hash: string | null
  disabled: boolean | null
  failed_count: number | null
  /** bigint: postgres.js reads it as a string. */
  locked_until: string | null
}

/**
 * Whole numbers in `serial`'s range are the application's ids. Portico never gives such a `sub`
 * to a user of its own: the application's next row would take it, and a `sub` must never name
 * two people (OIDC Core §2).
 */
function isAppSubject(subjectId: string): boolean {
  return /^[1-9][0-9]{0,9}$/.test(subjectId) && Number(subjectId) <= 2_147_483_647
}

function lockoutOf(row: { failed_count: number | null; locked_until: string | null }): UserLockout {
  const lockout: UserLockout = { failedCount: row.failed_count ?? 0 }
  if (row.locked_until !== null) lockout.lockedUntil = Number(row.locked_until)
  return lockout
}

export function fromAppRow(row: AppUserRow): User {
  const claims: Record<string, unknown> = { email: row.email }
  if (row.display_name) claims.name = row.display_name
  return {
    subjectId: String(row.id),
    username: row.email,
    ...(row.password_hash ? { passwordHash: row.password_hash } : {}),
    claims,
    enabled: row.disabled !== true,
    lockout: lockoutOf(row),
  }
}

export function appUsers(
  db: Database,
  tables: { appUsers: postgres.Helper<string>; schema: string },
  logger: Logger,
): UserStore {
  const app = tables.appUsers
  const users = db.sql(`${tables.schema}.users`)
  const lockouts = db.sql(`${tables.schema}.lockouts`)

  /** Rows without an email cannot sign in, so they are no users of Portico's. */
  const selectApp = (sql: postgres.Sql, where: postgres.PendingQuery<postgres.Row[]>) =>
    sql<AppUserRow[]>`select u.id, u.email, u.display_name, u.password_hash, u.disabled,
                             l.failed_count, l.locked_until
                        from ${app} u left join ${lockouts} l on l.subject_id = u.id::text
                       where u.email is not null and ${where} limit 2`

  const selectOwn = (sql: postgres.Sql, where: postgres.PendingQuery<postgres.Row[]>) =>
    sql<{ record: User; failed_count: number | null; locked_until: string | null }[]>`
      select u.record, l.failed_count, l.locked_until
        from ${users} u left join ${lockouts} l on l.subject_id = u.subject_id
       where ${where}`

  async function own(where: (sql: postgres.Sql) => postgres.PendingQuery<postgres.Row[]>) {
    const [row] = await db.run((sql) => selectOwn(sql, where(sql)))
    return row ? { ...row.record, lockout: lockoutOf(row) } : undefined
  }

  async function appById(subjectId: string): Promise<User | undefined> {
    const [row] = await db.run((sql) => selectApp(sql, sql`u.id = ${Number(subjectId)}`))
    return row ? fromAppRow(row) : undefined
  }

  /** The app's emails are unique as typed; case-insensitively, two rows may share one. */
  async function appByEmail(username: string): Promise<AppUserRow[]> {
    return db.run((sql) => selectApp(sql, sql`lower(u.email) = lower(${username})`))
  }

  function refuse(subjectId: string, action: string): never {
    throw new AppOwnedError(
      `user "${subjectId}": whole-number subject ids are app_users ids, the application's, so Portico cannot ${action} it: change the user in the application (users Portico adds need another subject id)`,
    )
  }

  return {
    async findBySubjectId(subjectId) {
      if (subjectId.includes('\0')) return undefined
      if (isAppSubject(subjectId)) return appById(subjectId)
      return own((sql) => sql`u.subject_id = ${subjectId}`)
    },

    async findByUsername(username) {
      if (username.includes('\0')) return undefined
      const rows = await appByEmail(username)
      if (rows.length > 1) {
        // Signing in as either would be a guess: refuse both until the application merges them.
        logger.warn('app-users.ambiguous_email', { rows: rows.length })
        return undefined
      }
      if (rows[0]) return fromAppRow(rows[0])
      return own((sql) => sql`u.username_lower = ${username.toLowerCase()}`)
    },

    async upsert(user) {
      const { lockout, ...record } = user
      const json = storable(record)
      if (isAppSubject(user.subjectId)) refuse(user.subjectId, 'replace')
      if ((await appByEmail(user.username)).length > 0) {
        throw new StoreConflictError(`username "${user.username}" is an application user's email`)
      }
      const { failedCount, lockedUntil } = lockout
      await db.run((sql) =>
        sql.begin(async (tx) => {
          await tx`insert into ${users} (subject_id, username_lower, record)
                   values (${user.subjectId}, ${user.username.toLowerCase()}, ${sql.json(json)})
                   on conflict (subject_id) do update
                   set username_lower = excluded.username_lower, record = excluded.record`
          await tx`insert into ${lockouts} (subject_id, failed_count, locked_until)
                   values (${user.subjectId}, ${failedCount}::integer, ${lockedUntil ?? null}::bigint)
                   on conflict (subject_id) do update
                   set failed_count = excluded.failed_count, locked_until = excluded.locked_until`
        }),
      )
    },

    async setLockout(subjectId, { failedCount, lockedUntil }) {
      if (subjectId.includes('\0')) return false
      const rows = await db.run(
        (sql) => sql`insert into ${lockouts} (subject_id, failed_count, locked_until)
                     select ${subjectId}, ${failedCount}::integer, ${lockedUntil ?? null}::bigint
                      where exists (${
                        isAppSubject(subjectId)
                          ? sql`select 1 from ${app} where id = ${Number(subjectId)} and email is not null`
                          : sql`select 1 from ${users} where subject_id = ${subjectId}`
                      })
                     on conflict (subject_id) do update
                     set failed_count = excluded.failed_count, locked_until = excluded.locked_until
                     returning subject_id`,
      )
      return rows.length > 0
    },

    async remove(subjectId) {
      if (subjectId.includes('\0')) return false
      if (isAppSubject(subjectId)) {
        if (await appById(subjectId)) refuse(subjectId, 'remove')
        return false
      }
      return db.run((sql) =>
        sql.begin(async (tx) => {
          const removed = await tx`delete from ${users} where subject_id = ${subjectId} returning subject_id`
          await tx`delete from ${lockouts} where subject_id = ${subjectId}`
          return removed.length > 0
        }),
      )
    },
  }
}
