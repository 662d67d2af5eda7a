import { eq, sql } from 'drizzle-orm'
import { type Client, clientDefaults } from '../../../core/models/client.ts'
import type { ClientStore } from '../../../core/stores/configuration.ts'
import type { SqlContext } from '../context.ts'
import { preparedOnUse } from '../dialect.ts'
import type { ClientRow } from '../schema.ts'

export function clientStore({ db, preparedDb, tables: { clients }, byCodePoint }: SqlContext): ClientStore {
  // Every request of a client the configuration cache has not seen this epoch: built once.
  const byId = preparedOnUse(() =>
    preparedDb
      .select()
      .from(clients)
      .where(eq(clients.clientId, sql.placeholder('clientId')))
      .prepare('clients_find_by_id'),
  )
  return {
    async findClientById(clientId) {
      const [row] = await byId.execute({ clientId })
      return row && toClient(row)
    },
    async list() {
      const rows = await db.select().from(clients).orderBy(sql`${clients.clientId}${byCodePoint}`)
      return rows.map(toClient)
    },
    async upsert(client) {
      const { clientId, enabled, ...data } = client
      await db
        .insert(clients)
        .values({ clientId, enabled, data })
        .onConflictDoUpdate({ target: clients.clientId, set: { enabled, data } })
    },
    async remove(clientId) {
      const removed = await db
        .delete(clients)
        .where(eq(clients.clientId, clientId))
        .returning({ clientId: clients.clientId })
      return removed.length > 0
    },
  }
}

/** Over the defaults, so a client stored before a field existed reads with its default. */
function toClient(row: ClientRow): Client {
  return { ...clientDefaults, ...row.data, clientId: row.clientId, enabled: row.enabled }
}
