import { asc, eq, inArray, type SQL } from 'drizzle-orm'
import type { ApiResource, ApiScope, IdentityResource } from '../../../core/models/resources.ts'
import type { ResourceStore } from '../../../core/stores/configuration.ts'
import type { SqlContext } from '../context.ts'
import type { SqlDatabase, SqlTable } from '../dialect.ts'
import type { ResourceRow } from '../schema.ts'

type Named = { name: string; enabled: boolean }

export function resourceStore({ db, tables }: SqlContext): ResourceStore {
  const { identityResources, apiScopes, apiResources, apiResourceScopes } = tables

  /** API resources matching `where`, each with its scopes in their stored order. */
  async function loadApiResources(where?: SQL): Promise<ApiResource[]> {
    const rows = await db.select().from(apiResources).where(where).orderBy(asc(apiResources.name))
    if (rows.length === 0) return []
    const scopeRows = await db
      .select()
      .from(apiResourceScopes)
      .where(
        inArray(
          apiResourceScopes.apiResourceName,
          rows.map((row) => row.name),
        ),
      )
      .orderBy(asc(apiResourceScopes.position))
    return rows.map((row) => ({
      ...fromRow(row),
      scopes: scopeRows.filter((s) => s.apiResourceName === row.name).map((s) => s.scopeName),
    }))
  }

  async function removeApiResource(tx: SqlDatabase, name: string): Promise<boolean> {
    await tx.delete(apiResourceScopes).where(eq(apiResourceScopes.apiResourceName, name))
    const removed = await tx
      .delete(apiResources)
      .where(eq(apiResources.name, name))
      .returning({ name: apiResources.name })
    return removed.length > 0
  }

  return {
    findIdentityResourcesByScopeName: (names) => findByName(db, identityResources, names),
    findApiScopesByName: (names) => findByName(db, apiScopes, names),
    async findApiResourcesByScopeName(scopeNames) {
      if (scopeNames.length === 0) return []
      const holders = db
        .select({ name: apiResourceScopes.apiResourceName })
        .from(apiResourceScopes)
        .where(inArray(apiResourceScopes.scopeName, [...scopeNames]))
      return loadApiResources(inArray(apiResources.name, holders))
    },
    async findApiResourcesByName(names) {
      return names.length === 0 ? [] : loadApiResources(inArray(apiResources.name, [...names]))
    },
    async getAllResources() {
      const [identity, scopes, api] = await Promise.all([
        db.select().from(identityResources).orderBy(asc(identityResources.name)),
        db.select().from(apiScopes).orderBy(asc(apiScopes.name)),
        loadApiResources(),
      ])
      return {
        identityResources: identity.map(fromRow<IdentityResource>),
        apiScopes: scopes.map(fromRow<ApiScope>),
        apiResources: api,
      }
    },
    upsertIdentityResource: (resource) => upsert(db, identityResources, resource),
    upsertApiScope: (scope) => upsert(db, apiScopes, scope),
    async upsertApiResource(resource) {
      const { scopes, ...rest } = resource
      await db.transaction(async (tx) => {
        await removeApiResource(tx, resource.name)
        await upsert(tx, apiResources, rest)
        if (scopes.length > 0) {
          const unique = [...new Set(scopes)]
          await tx
            .insert(apiResourceScopes)
            .values(
              unique.map((scopeName, position) => ({ apiResourceName: resource.name, scopeName, position })),
            )
        }
      })
    },
    removeIdentityResource: (name) => remove(db, identityResources, name),
    removeApiScope: (name) => remove(db, apiScopes, name),
    removeApiResource: (name) => db.transaction((tx) => removeApiResource(tx, name)),
  }
}

async function findByName<R extends Named>(
  db: SqlDatabase,
  table: SqlTable<ResourceRow<R>>,
  names: readonly string[],
) {
  if (names.length === 0) return []
  const rows = await db
    .select()
    .from(table)
    .where(inArray(table.name, [...names]))
  return rows.map(fromRow<R>)
}

async function upsert<R extends Named>(
  db: SqlDatabase,
  table: SqlTable<ResourceRow<R>>,
  resource: Omit<R, 'scopes'>,
) {
  const { name, enabled, ...data } = resource
  const row = { name, enabled, data } as ResourceRow<R>
  await db
    .insert(table)
    .values(row)
    .onConflictDoUpdate({ target: table.name, set: { enabled, data: row.data } })
}

async function remove<R extends Named>(db: SqlDatabase, table: SqlTable<ResourceRow<R>>, name: string) {
  const removed = await db.delete(table).where(eq(table.name, name)).returning({ name: table.name })
  return removed.length > 0
}

function fromRow<R extends Named>(row: ResourceRow<R>): R {
  return { ...row.data, name: row.name, enabled: row.enabled } as unknown as R
}
