import { asc, eq, inArray, type SQL } from 'drizzle-orm'
import { type ApiResource, apiResource, apiScope, identityResource } from '../../../core/models/resources.ts'
import type { ResourceStore } from '../../../core/stores/configuration.ts'
import type { SqlContext } from '../context.ts'
import type { SqlDatabase, SqlTable } from '../dialect.ts'
import type { ResourceRow } from '../schema.ts'

type Named = { name: string; enabled: boolean }

export function resourceStore({ db, preparedDb, tables, atomic }: SqlContext): ResourceStore {
  const { identityResources, apiScopes, apiResources, apiResourceScopes } = tables

  /** API resources matching `where`, each with its scopes in their stored order. */
  async function loadApiResources(where?: SQL): Promise<ApiResource[]> {
    const rows = await preparedDb.select().from(apiResources).where(where).orderBy(asc(apiResources.name))
    if (rows.length === 0) return []
    const scopeRows = await preparedDb
      .select()
      .from(apiResourceScopes)
      .where(
        inArray(
          apiResourceScopes.apiResourceName,
          rows.map((row) => row.name),
        ),
      )
      .orderBy(asc(apiResourceScopes.position))
    return rows.map((row) =>
      apiResource({
        ...row.data,
        name: row.name,
        enabled: row.enabled,
        scopes: scopeRows.filter((s) => s.apiResourceName === row.name).map((s) => s.scopeName),
      }),
    )
  }

  return {
    // Lists of any length, so not prepared queries; a miss of the configuration cache still finds
    // its statement prepared on libSQL when a list of that length was looked up before.
    findIdentityResourcesByScopeName: (names) =>
      findByName(preparedDb, identityResources, names, identityResource),
    findApiScopesByName: (names) => findByName(preparedDb, apiScopes, names, apiScope),
    async findApiResourcesByScopeName(scopeNames) {
      if (scopeNames.length === 0) return []
      const holders = preparedDb
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
        identityResources: identity.map((row) => fromRow(row, identityResource)),
        apiScopes: scopes.map((row) => fromRow(row, apiScope)),
        apiResources: api,
      }
    },
    async upsertIdentityResource(resource) {
      await upsert(db, identityResources, resource)
    },
    async upsertApiScope(scope) {
      await upsert(db, apiScopes, scope)
    },
    async upsertApiResource(resource) {
      const { scopes, ...rest } = resource
      const rows = [...new Set(scopes)].map((scopeName, position) => ({
        apiResourceName: resource.name,
        scopeName,
        position,
      }))
      await atomic([
        upsert(db, apiResources, rest),
        db.delete(apiResourceScopes).where(eq(apiResourceScopes.apiResourceName, resource.name)),
        ...(rows.length > 0 ? [db.insert(apiResourceScopes).values(rows)] : []),
      ])
    },
    removeIdentityResource: (name) => remove(db, identityResources, name),
    removeApiScope: (name) => remove(db, apiScopes, name),
    async removeApiResource(name) {
      // Scopes first: an upsert of this name landing in between then loses only to this removal
      // (its scopes stay behind, owned by no resource, so nothing finds them), whereas the other
      // order could leave the upserted resource live without its scopes.
      await db.delete(apiResourceScopes).where(eq(apiResourceScopes.apiResourceName, name))
      return remove(db, apiResources, name)
    },
  }
}

async function findByName<R extends Named>(
  db: SqlDatabase,
  table: SqlTable<ResourceRow<R>>,
  names: readonly string[],
  build: (input: R) => R,
) {
  if (names.length === 0) return []
  const rows = await db
    .select()
    .from(table)
    .where(inArray(table.name, [...names]))
  return rows.map((row) => fromRow(row, build))
}

/** The upsert, built for the caller to await or to put in a transaction. */
function upsert<R extends Named>(
  db: SqlDatabase,
  table: SqlTable<ResourceRow<R>>,
  resource: Omit<R, 'scopes'>,
) {
  const { name, enabled, ...data } = resource
  const row = { name, enabled, data } as ResourceRow<R>
  return db
    .insert(table)
    .values(row)
    .onConflictDoUpdate({ target: table.name, set: { enabled, data: row.data } })
}

async function remove<R extends Named>(db: SqlDatabase, table: SqlTable<ResourceRow<R>>, name: string) {
  const removed = await db.delete(table).where(eq(table.name, name)).returning({ name: table.name })
  return removed.length > 0
}

/** Over the model's defaults, so a resource stored before a field existed reads with its default. */
function fromRow<R extends Named>(row: ResourceRow<R>, build: (input: R) => R): R {
  return build({ ...row.data, name: row.name, enabled: row.enabled } as unknown as R)
}
