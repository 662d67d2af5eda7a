/**
 * How the key ring shares its keys through the keys store. A family is the keys of one use
 * and algorithm (`signing:RS256`, `data-protection:A256GCM`). Each family has a `state`
 * record listing its member kids; every change to the family (a new key, a deletion, a
 * revocation) is a compare-and-set on that record. Of several instances creating a key at
 * once, one wins; the others remove the key record they added and adopt the winner's.
 */
import type { KeyRecord, KeyUse } from '../models/key.ts'
import type { KeyStore } from '../stores/keys.ts'
import type { KeyLifetimes } from './lifecycle.ts'

export type FamilyUse = Exclude<KeyUse, 'state'>

export interface KeyFamily {
  use: FamilyUse
  alg: string
  lifetimes: KeyLifetimes
}

export interface FamilyState {
  version: number
  createdAt: number
  kids: string[]
}

export function stateRecordId(use: FamilyUse, alg: string): string {
  return `state:${use}:${alg}`
}

/** The family's state as read from `records`; undefined before its first key. */
export function readFamilyState(records: readonly KeyRecord[], family: KeyFamily): FamilyState | undefined {
  const id = stateRecordId(family.use, family.alg)
  const record = records.find((r) => r.id === id && r.use === 'state')
  if (!record) return undefined
  let kids: unknown
  try {
    kids = (JSON.parse(record.data) as { kids?: unknown }).kids
  } catch {
    kids = undefined
  }
  // An unreadable state record lists nothing; the next change overwrites it by version.
  const valid = Array.isArray(kids) ? kids.filter((kid): kid is string => typeof kid === 'string') : []
  return { version: record.version, createdAt: record.createdAt, kids: valid }
}

export interface FamilyChange {
  add?: KeyRecord
  remove: readonly string[]
}

/**
 * Applies `change` if the family's state is still `state`. False when another instance
 * changed the family first (nothing of this change remains in the store then).
 */
export async function commitFamily(
  store: KeyStore,
  family: KeyFamily,
  state: FamilyState | undefined,
  change: FamilyChange,
  now: number,
): Promise<boolean> {
  if (change.add && !(await store.add(change.add))) return false
  const kids = (state?.kids ?? []).filter((kid) => !change.remove.includes(kid))
  if (change.add) kids.push(change.add.id)
  const record: KeyRecord = {
    id: stateRecordId(family.use, family.alg),
    use: 'state',
    algorithm: family.alg,
    createdAt: state?.createdAt ?? now,
    data: JSON.stringify({ kids }),
    version: (state?.version ?? 0) + 1,
  }
  const won = state ? await store.update(record, state.version) : await store.add(record)
  if (!won) {
    if (change.add) await store.remove(change.add.id)
    return false
  }
  // The state no longer lists them, so a crash here leaves only ignored orphans.
  for (const kid of change.remove) await store.remove(kid)
  return true
}
