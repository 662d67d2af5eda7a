/**
 * Shared secrets (client secrets, API secrets) short enough to guess. The brute-force throttle
 * slows guessing, it cannot make a 1-character secret safe; production refuses such secrets,
 * development warns. Secrets Portico generates are 256 bits (`portico clients add`).
 */
import type { Problem } from './problems.ts'
import type { Seed } from './seed-schema.ts'

/** Characters a shared secret needs in production. */
export const sharedSecretMinLength = 16

interface SecretEntry {
  value: string
  type?: string
}

/** A problem for each shared secret in `secrets` under the minimum; `at` names the list. */
export function weakSharedSecrets(secrets: readonly SecretEntry[] | undefined, at: string): Problem[] {
  const problems: Problem[] = []
  secrets?.forEach((secret, i) => {
    if ((secret.type ?? 'SharedSecret') !== 'SharedSecret') return
    if (secret.value.length >= sharedSecretMinLength) return
    problems.push({
      path: `${at}[${i}].value`,
      // The value is never shown: it is a secret, even if a weak one.
      message: `is too short for a shared secret (given ${secret.value.length} characters, allowed at least ${sharedSecretMinLength} in production; \`portico clients add\` generates a 256-bit one)`,
    })
  })
  return problems
}

/** Every weak shared secret of the seed's clients and API resources. */
export function weakSeedSecrets(seed: Seed): Problem[] {
  return [
    ...(seed.clients ?? []).flatMap((client, i) =>
      weakSharedSecrets(client.clientSecrets, `seed.clients[${i}].clientSecrets`),
    ),
    ...(seed.apiResources ?? []).flatMap((resource, i) =>
      weakSharedSecrets(resource.apiSecrets, `seed.apiResources[${i}].apiSecrets`),
    ),
  ]
}
