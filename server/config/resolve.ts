/**
 * From validated input to the config the server runs with: one store spec per role, and
 * the rules that span several fields.
 */
import type { StoreRole } from '../../core/stores/contract.ts'
import { storeRoles } from '../../core/stores/contract.ts'
import { DEFAULT_STORE_URL } from '../stores/default.ts'
import { type StoreSpec, storeFromUrl } from '../stores/url.ts'
import type { Problem } from './problems.ts'
import type { ConfigOutput } from './schema.ts'
import type { ClientSeed } from './seed-schema.ts'

export interface PorticoConfig extends Omit<ConfigOutput, 'store' | 'stores'> {
  stores: Record<StoreRole, StoreSpec>
  /** Relative plugin paths and `dataDir` resolve against this directory. */
  baseDir: string
  /** The file the config came from, if any. */
  file?: string
}

export function resolveStores(config: ConfigOutput): Record<StoreRole, StoreSpec> {
  const fallback = config.store ?? storeFromUrl(DEFAULT_STORE_URL)!
  const stores = {} as Record<StoreRole, StoreSpec>
  for (const role of storeRoles) stores[role] = config.stores?.[role] ?? fallback
  return stores
}

/** Rules across fields, reported like schema problems. */
export function crossCheck(config: ConfigOutput): Problem[] {
  const problems: Problem[] = []
  const algorithms = config.signing.algorithms
  const allowed = algorithms.join(', ')
  if (!algorithms.includes(config.signing.accessTokenAlgorithm)) {
    problems.push({
      path: 'signing.accessTokenAlgorithm',
      message: `is not one of signing.algorithms (given "${config.signing.accessTokenAlgorithm}", allowed ${allowed})`,
    })
  }
  const seed = config.seed
  const clientIds = new Set<string>()
  seed.clients?.forEach((client, i) => {
    const at = `seed.clients[${i}]`
    if (clientIds.has(client.clientId)) {
      problems.push({ path: `${at}.clientId`, message: `appears twice (given "${client.clientId}")` })
    }
    clientIds.add(client.clientId)
    problems.push(...checkClient(client, at, algorithms))
  })
  seed.apiResources?.forEach((resource, i) => {
    resource.allowedAccessTokenSigningAlgorithms?.forEach((alg, j) => {
      if (!algorithms.includes(alg)) {
        problems.push({
          path: `seed.apiResources[${i}].allowedAccessTokenSigningAlgorithms[${j}]`,
          message: `is not one of signing.algorithms (given "${alg}", allowed ${allowed})`,
        })
      }
    })
  })
  const subjects = new Set<string>()
  const usernames = new Set<string>()
  seed.users?.forEach((user, i) => {
    const at = `seed.users[${i}]`
    if (subjects.has(user.subjectId)) {
      problems.push({ path: `${at}.subjectId`, message: `appears twice (given "${user.subjectId}")` })
    }
    subjects.add(user.subjectId)
    const username = user.username.toLowerCase()
    if (usernames.has(username)) {
      problems.push({ path: `${at}.username`, message: `appears twice (given "${user.username}")` })
    }
    usernames.add(username)
    if (user.password !== undefined && user.passwordHash !== undefined) {
      problems.push({ path: at, message: 'give password or passwordHash, not both' })
    }
  })
  return problems
}

/** Rules a client must keep beyond its fields' own types (also used by `portico clients add`). */
export function checkClient(client: ClientSeed, at: string, algorithms: readonly string[]): Problem[] {
  const problems: Problem[] = []
  const allowed = algorithms.join(', ')
  const grants = client.allowedGrantTypes ?? []
  const confidential = client.requireClientSecret ?? true
  if (confidential && !client.clientSecrets?.length) {
    problems.push({
      path: `${at}.clientSecrets`,
      message:
        'a confidential client needs at least one secret (or set requireClientSecret: false for a public client)',
    })
  }
  // RFC 6749 §4.4: the client credentials grant is for confidential clients only.
  if (!confidential && grants.includes('client_credentials')) {
    problems.push({
      path: `${at}.allowedGrantTypes`,
      message: 'client_credentials needs a confidential client (given requireClientSecret: false)',
    })
  }
  // RFC 6749 §3.1.2.2: clients of the authorization code grant register redirect URIs.
  if (grants.includes('authorization_code') && !client.redirectUris?.length) {
    problems.push({
      path: `${at}.redirectUris`,
      message: 'an authorization_code client needs at least one redirect URI',
    })
  }
  client.allowedIdentityTokenSigningAlgorithms?.forEach((alg, j) => {
    if (!algorithms.includes(alg)) {
      problems.push({
        path: `${at}.allowedIdentityTokenSigningAlgorithms[${j}]`,
        message: `is not one of signing.algorithms (given "${alg}", allowed ${allowed})`,
      })
    }
  })
  return problems
}
