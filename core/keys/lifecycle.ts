/**
 * The lifecycle every rotating key follows (signing and data-protection alike):
 * announced → active → retired → deleted. Statuses are computed from the keys of one family
 * and the clock alone, so every instance derives the same answer from the same records and
 * keys switch over on time without any write.
 *
 * - announced: published (JWKS) or known to every instance, not yet used, for `propagationTime`;
 * - active: the most recently activated key; it signs/protects until its successor activates;
 * - retired: replaced, still published/accepted for `retentionDuration`;
 * - expired: past retention; the key ring deletes it from the store.
 */

export type KeyStatus = 'announced' | 'active' | 'retired' | 'expired'

/** Durations in milliseconds. */
export interface KeyLifetimes {
  /** How long a new key is announced before it is used. */
  propagationTime: number
  /** How long a key is active before its successor takes over. */
  rotationInterval: number
  /** How long a retired key stays published/accepted. */
  retentionDuration: number
}

const DAY = 24 * 60 * 60 * 1000

/** Duende's defaults for automatic key management. */
export const defaultLifetimes: KeyLifetimes = {
  propagationTime: 14 * DAY,
  rotationInterval: 90 * DAY,
  retentionDuration: 14 * DAY,
}

export interface KeyTimes {
  kid: string
  createdAt: number
  /** Epoch ms from which the key is used; chosen when the key is created. */
  activatesAt: number
}

export interface KeyPhase {
  kid: string
  status: KeyStatus
  activatesAt: number
  /** When the key is (or is planned to be) replaced. */
  retiresAt: number
  /** When the key leaves the JWKS and the store. */
  deletesAt: number
}

/**
 * Activation order: the key activated last is the current one. The sort is stable, so keys
 * activating in the same millisecond keep the order they were given in (creation order).
 */
export function byActivation<K extends KeyTimes>(keys: readonly K[]): K[] {
  return [...keys].sort((a, b) => a.activatesAt - b.activatesAt)
}

/** The key in use at `now`: the last one activated. `keys` must be in activation order. */
export function activeKey<K extends KeyTimes>(keys: readonly K[], now: number): K | undefined {
  let active: K | undefined
  for (const key of keys) {
    if (key.activatesAt > now) break
    active = key
  }
  return active
}

/** The phase of every key at `now`, in activation order. */
export function phases(keys: readonly KeyTimes[], now: number, lifetimes: KeyLifetimes): KeyPhase[] {
  const ordered = byActivation(keys)
  const current = activeKey(ordered, now)
  return ordered.map((key, i) => {
    const successor = ordered[i + 1]
    const retiresAt = successor ? successor.activatesAt : key.activatesAt + lifetimes.rotationInterval
    const deletesAt = retiresAt + lifetimes.retentionDuration
    let status: KeyStatus
    if (key.activatesAt > now) status = 'announced'
    else if (key === current) status = 'active'
    else status = deletesAt > now ? 'retired' : 'expired'
    return { kid: key.kid, status, activatesAt: key.activatesAt, retiresAt, deletesAt }
  })
}

export interface LifecyclePlan {
  /** A key to create, active from this time; absent when none is due. */
  create?: { activatesAt: number }
  /** Keys past retention, to delete. */
  expired: string[]
}

/** What the key ring must write for one family at `now`. */
export function plan(keys: readonly KeyTimes[], now: number, lifetimes: KeyLifetimes): LifecyclePlan {
  const ordered = byActivation(keys)
  const expired = phases(ordered, now, lifetimes)
    .filter((phase) => phase.status === 'expired')
    .map((phase) => phase.kid)
  const current = activeKey(ordered, now)
  // Nothing to sign with (empty store, or every key revoked): a key announced first would
  // leave the deployment unable to sign, so this one is active at once.
  if (!current) return { create: { activatesAt: now }, expired }
  const hasSuccessor = ordered.at(-1) !== current
  const rotatesAt = current.activatesAt + lifetimes.rotationInterval
  if (!hasSuccessor && now >= rotatesAt - lifetimes.propagationTime) {
    // Announce the successor; if maintenance ran late, keep the full propagation time anyway.
    return { create: { activatesAt: Math.max(rotatesAt, now + lifetimes.propagationTime) }, expired }
  }
  return { expired }
}
