/**
 * Checking a presented shared secret against the stored hashes of a client or API resource.
 */
import { hash, timingSafeEqual } from 'node:crypto'
import type { Secret } from '../models/secret.ts'

/**
 * True when `presented` matches an unexpired `SharedSecret`. Every candidate is compared in
 * constant time, so timing reveals neither which secret matched nor how much of one did.
 */
export function matchesSharedSecret(secrets: readonly Secret[], presented: string, now: number): boolean {
  const digest = hash('sha256', presented, 'buffer')
  let matched = false
  for (const secret of secrets) {
    if (secret.type !== 'SharedSecret') continue
    const stored = storedDigest(secret)
    if (stored.length !== digest.length) continue
    const equal = timingSafeEqual(stored, digest)
    if (equal && (secret.expiration === undefined || secret.expiration > now)) matched = true
  }
  return matched
}

/** Decoded digests, kept as long as the (cached) secret object lives. */
const digests = new WeakMap<Secret, Buffer>()

function storedDigest(secret: Secret): Buffer {
  let digest = digests.get(secret)
  if (!digest) {
    digest = Buffer.from(secret.value, 'base64')
    digests.set(secret, digest)
  }
  return digest
}

/** Spends the time of one secret comparison when there is nothing to compare against. */
export function compareAgainstNothing(presented: string): void {
  const digest = hash('sha256', presented, 'buffer')
  timingSafeEqual(digest, digest)
}
