/**
 * From validated input to the config the server runs with: one store spec per role, and
 * the rules that span several fields.
 */

import { isAbsolute, resolve } from 'node:path'
import type { StoreRole } from '../../core/stores/contract.ts'
import { storeRoles } from '../../core/stores/contract.ts'
import { defaultStoreUrl } from '../stores/default.ts'
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

/**
 * One store spec per role. Relative paths follow one rule: they resolve against `baseDir` (the
 * config file's folder, else the working directory), as `dataDir` does; the default database
 * is `portico.db` in `dataDir`, beside the development key secret.
 */
export function resolveStores(config: ConfigOutput, baseDir: string): Record<StoreRole, StoreSpec> {
  const fallback = config.store ?? storeFromUrl(defaultStoreUrl(resolve(baseDir, config.dataDir)))!
  const stores = {} as Record<StoreRole, StoreSpec>
  for (const role of storeRoles) stores[role] = absoluteFile(config.stores?.[role] ?? fallback, baseDir)
  return stores
}

/** A libSQL `file:` URL with a relative path made absolute against `baseDir`. */
function absoluteFile(spec: StoreSpec, baseDir: string): StoreSpec {
  const url = spec.options.url
  if (spec.plugin !== 'libsql' || typeof url !== 'string' || !url.startsWith('file:')) return spec
  const [path = '', query] = url.slice('file:'.length).split(/\?(.*)/s, 2)
  if (path === '' || path === ':memory:' || isAbsolute(path)) return spec
  const absolute = `file:${resolve(baseDir, path)}${query === undefined ? '' : `?${query}`}`
  return { ...spec, options: { ...spec.options, url: absolute } }
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
  // The session cookie is sealed with data protection: it must stay readable for the session's life.
  if (config.session.lifetimeSeconds > config.dataProtection.retentionDuration) {
    problems.push({
      path: 'session.lifetimeSeconds',
      message: `exceeds dataProtection.retentionDuration (given ${config.session.lifetimeSeconds}, allowed at most ${config.dataProtection.retentionDuration})`,
    })
  }
  if (config.metrics.port !== undefined && config.metrics.port !== 0 && config.metrics.port === config.port) {
    problems.push({
      path: 'metrics.port',
      message: `must differ from port (given ${config.metrics.port}): it opens a listener of its own`,
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
