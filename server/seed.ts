/**
 * Applies the config's `seed` section at start (and from the CLI): upserts, so starting
 * twice never duplicates anything; an existing client, resource or user is replaced by its
 * seeded definition. Shared secrets are stored as `hashSecret` digests, passwords as argon2id
 * hashes; a password that still matches its stored hash is not hashed again.
 */
import type { Logger } from '../core/logger.ts'
import { client } from '../core/models/client.ts'
import {
  apiResource,
  apiScope,
  identityResource,
  standardIdentityResources,
} from '../core/models/resources.ts'
import { hashSecret, type Secret } from '../core/models/secret.ts'
import { noLockout, type User } from '../core/models/user.ts'
import { hashPassword } from '../core/protocol/login/credential-check.ts'
import type { ConfigurationStores } from '../core/stores/configuration.ts'
import { StoreConflictError } from '../core/stores/errors.ts'
import type { Seed } from './config/seed-schema.ts'

/** A seed entry the store refused (a username taken by another subject). */
export class SeedError extends Error {
  override name = 'SeedError'
}

export interface SeedSummary {
  identityResources: number
  apiScopes: number
  apiResources: number
  clients: number
  users: number
}

type SecretInput = NonNullable<NonNullable<Seed['clients']>[number]['clientSecrets']>[number]

export async function applySeed(
  seed: Seed,
  stores: ConfigurationStores,
  options: { logger: Logger },
): Promise<SeedSummary> {
  await ensureStandardIdentityResources(stores)
  for (const entry of seed.identityResources ?? []) {
    const input = typeof entry === 'string' ? standardIdentityResources[entry]! : entry
    await stores.resources.upsertIdentityResource(identityResource(input))
  }
  for (const entry of seed.apiScopes ?? []) await stores.resources.upsertApiScope(apiScope(entry))
  for (const entry of seed.apiResources ?? []) {
    await stores.resources.upsertApiResource(
      apiResource({ ...entry, apiSecrets: storedSecrets(entry.apiSecrets) }),
    )
  }
  for (const entry of seed.clients ?? []) {
    await stores.clients.upsert(client({ ...entry, clientSecrets: storedSecrets(entry.clientSecrets) }))
  }
  for (const [index, entry] of (seed.users ?? []).entries()) {
    await seedUser(entry, index, stores)
  }
  const summary: SeedSummary = {
    identityResources: seed.identityResources?.length ?? 0,
    apiScopes: seed.apiScopes?.length ?? 0,
    apiResources: seed.apiResources?.length ?? 0,
    clients: seed.clients?.length ?? 0,
    users: seed.users?.length ?? 0,
  }
  options.logger.info('seed.applied', { ...summary })
  return summary
}

/** The OpenID Connect standard scopes exist in every deployment; an operator's edits are kept. */
export async function ensureStandardIdentityResources(stores: ConfigurationStores): Promise<void> {
  const names = Object.keys(standardIdentityResources)
  const present = new Set(
    (await stores.resources.findIdentityResourcesByScopeName(names)).map((resource) => resource.name),
  )
  for (const name of names) {
    if (!present.has(name)) {
      await stores.resources.upsertIdentityResource(identityResource(standardIdentityResources[name]!))
    }
  }
}

export function storedSecrets(secrets: readonly SecretInput[] | undefined): Secret[] {
  return (secrets ?? []).map((secret) => {
    const stored: Secret = {
      type: secret.type,
      value: secret.type === 'SharedSecret' ? hashSecret(secret.value) : secret.value,
    }
    if (secret.description !== undefined) stored.description = secret.description
    if (secret.expiration !== undefined) stored.expiration = secret.expiration
    return stored
  })
}

export { hashPassword }

async function seedUser(
  entry: NonNullable<Seed['users']>[number],
  index: number,
  stores: ConfigurationStores,
): Promise<void> {
  const existing = await stores.users.findBySubjectId(entry.subjectId)
  let passwordHash = entry.passwordHash ?? existing?.passwordHash
  if (entry.password !== undefined) {
    const unchanged =
      existing?.passwordHash !== undefined &&
      (await Bun.password.verify(entry.password, existing.passwordHash).catch(() => false))
    passwordHash = unchanged ? existing.passwordHash : await hashPassword(entry.password)
  }
  const user: User = {
    subjectId: entry.subjectId,
    username: entry.username,
    claims: entry.claims ?? {},
    enabled: entry.enabled ?? true,
    lockout: existing?.lockout ?? { ...noLockout },
  }
  if (passwordHash !== undefined) user.passwordHash = passwordHash
  try {
    await upsertSeededUser(stores, user)
  } catch (error) {
    if (error instanceof StoreConflictError) {
      throw new SeedError(
        `seed.users[${index}].username: already taken by another subject (given "${entry.username}")`,
      )
    }
    throw error
  }
}

/**
 * Instances starting together seed the same user at once. On Postgres, the loser's upsert can
 * meet the winner's row on the username's unique index rather than the subject's, which is a
 * conflict, not an update; once the winner's row is visible, the same upsert updates it.
 */
async function upsertSeededUser(stores: ConfigurationStores, user: User): Promise<void> {
  try {
    await stores.users.upsert(user)
  } catch (error) {
    if (!(error instanceof StoreConflictError)) throw error
    const winner = await stores.users.findBySubjectId(user.subjectId)
    if (winner?.username !== user.username) throw error
    await stores.users.upsert(user)
  }
}
