/**
 * Clients: the application's `app_oauth_clients` rows, read-only, mapped onto Portico's Client
 * model; and clients the application does not have (a seeded machine client), kept whole in the
 * plugin's `records` table. A client id in both finds the application's row.
 */

import { type Client, type ClientStore, client, compareCodePoints } from 'portico'
import type postgres from 'postgres'
import { AppOwnedError } from './app-owned.ts'
import type { Database } from './database.ts'
import { jsonRecords } from './records.ts'

interface AppClientRow {
  client_id: string
  name: string | null
  /** Hex SHA-256 of the plain secret; null for a public client. */
  secret_sha256: string | null
  redirect_uris: string[] | null
  scopes: string[] | null
}

/**
 * An application client as Portico sees it: a code-flow client (PKCE required, IdentityServer's
 * defaults for everything the application has no column for).
 */
export function fromAppRow(row: AppClientRow): Client {
  const digest = row.secret_sha256?.trim().toLowerCase()
  return client({
    clientId: row.client_id,
    ...(row.name ? { clientName: row.name } : {}),
    // Portico keeps SharedSecret digests as base64 SHA-256 (IdentityServer's Sha256()); the
    // application writes hex. A digest that is not 64 hex digits matches no secret (fails closed).
    clientSecrets:
      digest && /^[0-9a-f]{64}$/.test(digest)
        ? [{ type: 'SharedSecret', value: Buffer.from(digest, 'hex').toString('base64') }]
        : [],
    requireClientSecret: row.secret_sha256 !== null,
    allowedGrantTypes: ['authorization_code'],
    redirectUris: row.redirect_uris ?? [],
    allowedScopes: row.scopes ?? [],
  })
}

export function appClients(
  db: Database,
  tables: { appClients: postgres.Helper<string>; schema: string },
): ClientStore {
  const own = jsonRecords<Client>(db, tables.schema, 'client')

  async function appClient(clientId: string): Promise<Client | undefined> {
    const [row] = await db.run(
      (sql) => sql<AppClientRow[]>`select client_id, name, secret_sha256, redirect_uris, scopes
                                 from ${tables.appClients} where client_id = ${clientId}`,
    )
    return row ? fromAppRow(row) : undefined
  }

  async function refuseAppOwned(clientId: string, action: string): Promise<void> {
    if (await appClient(clientId)) {
      throw new AppOwnedError(
        `client "${clientId}" is the application's (app_oauth_clients), so Portico cannot ${action} it: change it in the application`,
      )
    }
  }

  return {
    async findClientById(clientId) {
      if (clientId.includes('\0')) return undefined
      return (await appClient(clientId)) ?? (await own.find([clientId]))[0]
    },
    async list() {
      const [rows, owned] = await Promise.all([
        db.run(
          (sql) => sql<AppClientRow[]>`select client_id, name, secret_sha256, redirect_uris, scopes
                                      from ${tables.appClients}`,
        ),
        own.all(),
      ])
      const byId = new Map(owned.map((c) => [c.clientId, c]))
      for (const row of rows) byId.set(row.client_id, fromAppRow(row))
      return [...byId.values()].sort((a, b) => compareCodePoints(a.clientId, b.clientId))
    },
    async upsert(client) {
      await refuseAppOwned(client.clientId, 'replace')
      await own.put(client.clientId, client)
    },
    async remove(clientId) {
      if (clientId.includes('\0')) return false
      await refuseAppOwned(clientId, 'remove')
      return own.remove(clientId)
    },
  }
}
