/**
 * U+0000 in text. libSQL hands text back only up to its first U+0000 (the rest is silently
 * lost) and Postgres refuses it in text and jsonb, so no stored value can hold one. A lookup by
 * such a value therefore finds nothing, without asking the database (Postgres would fail the
 * query), and a write holding one is refused with a TypeError instead of being stored cut
 * short. The value is left out of the message: it may be a secret.
 */

/** A method that looks records up: which arguments are lookup values, and its "nothing found". */
interface Lookup {
  args: readonly number[]
  nothing: () => unknown
}

const none = () => undefined
const no = () => false
const empty = () => []
const zero = () => 0
const key: Lookup = { args: [0], nothing: none }
const removal: Lookup = { args: [0], nothing: no }
const names: Lookup = { args: [0], nothing: empty }

/** The lookups of every SQL store, by store and method; every other method only writes. */
export const lookups = {
  grants: {
    get: key,
    consume: { args: [0], nothing: () => ({ outcome: 'not-found' }) },
    getAll: { args: [0], nothing: empty },
    removeAll: { args: [0], nothing: zero },
    remove: removal,
  },
  deviceCodes: {
    findByDeviceCode: key,
    findByUserCode: key,
    authorize: removal,
    deny: removal,
    consume: { args: [0], nothing: () => ({ outcome: 'not-found' }) },
    remove: removal,
  },
  sessions: {
    get: key,
    findBySessionId: key,
    touch: removal,
    remove: removal,
    listBySubject: { args: [0], nothing: empty },
    removeBySubject: { args: [0], nothing: zero },
  },
  replay: {},
  clients: { findClientById: key, remove: removal },
  resources: {
    findIdentityResourcesByScopeName: names,
    findApiScopesByName: names,
    findApiResourcesByScopeName: names,
    findApiResourcesByName: names,
    removeIdentityResource: removal,
    removeApiScope: removal,
    removeApiResource: removal,
  },
  users: { findBySubjectId: key, findByUsername: key, setLockout: removal, remove: removal },
  keys: { remove: removal },
} satisfies Record<string, Record<string, Lookup>>

export type Lookups = Readonly<Record<string, Lookup>>

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (Array.isArray(value)) return value.some(holdsNul)
  if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsNul)
  return false
}

/**
 * Screens a call's arguments: `{ answer }` when a lookup value holds U+0000 (a list of names
 * only loses those names), a TypeError when anything else does, otherwise nothing.
 */
export function screenNul(
  store: string,
  lookup: Lookup | undefined,
  args: unknown[],
): { answer: unknown } | undefined {
  for (const index of lookup?.args ?? []) {
    const value = args[index]
    if (Array.isArray(value)) {
      if (value.some(holdsNul)) args[index] = value.filter((item) => !holdsNul(item))
    } else if (holdsNul(value)) {
      return { answer: lookup!.nothing() }
    }
  }
  if (holdsNul(args)) throw new TypeError(`${store}: text holding U+0000 cannot be stored`)
  return undefined
}
