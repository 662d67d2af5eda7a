/**
 * What a key ring refresh picked up from the store: signing keys another instance (or the CLI)
 * added, and ones that left the store (revoked, or deleted after their retention). Logged by
 * every instance, so an operator can follow a rotation or revocation across the deployment.
 */
import type { Logger } from '../logger.ts'

interface FamilyKeys {
  family: { use: string; alg: string }
  keys: readonly { kid: string }[]
}

/** Logs the signing kids in `after` but not `before`, and the reverse. Silent on the first load. */
export function logSigningKeyChanges(
  logger: Logger,
  before: readonly FamilyKeys[],
  after: readonly FamilyKeys[],
): void {
  if (before.length === 0) return
  const previous = signingKids(before)
  const current = signingKids(after)
  for (const [kid, alg] of current) {
    if (!previous.has(kid)) logger.info('keys.signing_key_added', { kid, alg })
  }
  for (const [kid, alg] of previous) {
    if (!current.has(kid)) logger.info('keys.signing_key_removed', { kid, alg })
  }
}

/** kid → alg of every signing key in the views. */
function signingKids(views: readonly FamilyKeys[]): Map<string, string> {
  const kids = new Map<string, string>()
  for (const { family, keys } of views) {
    if (family.use !== 'signing') continue
    for (const { kid } of keys) kids.set(kid, family.alg)
  }
  return kids
}
