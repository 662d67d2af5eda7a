/**
 * The bounded, per-instance memory behind the throttle: entries of one fixed window, grouped by
 * the scope that pays for them (the client address, or the account for per-account keys).
 *
 * Nothing is ever evicted within a window, so no amount of activity from one scope can remove
 * another scope's entries (the flaw of an oldest-first table: a flood of fresh keys cleared
 * everyone's counts). Instead:
 * - a scope holding `keysPerScope` keys stands for every further key of its own with one shared
 *   overflow entry (the flooder's own keys are pooled, nobody else's);
 * - once `scopes` scopes are held, scopes seen later share one overflow scope, bounded the same way.
 * Memory therefore stays under (scopes + 1) × (keysPerScope + 1) entries, and the whole table is
 * dropped when the window ends. A key folded into an overflow entry is treated as that entry:
 * callers make overflow entries err on the side of refusing, never of forgetting.
 */
export interface TableBounds {
  /** Keys one scope may hold before its further keys share one entry (default 32). */
  keysPerScope: number
  /** Scopes held before further scopes share one overflow scope (default 5,000). */
  scopes: number
}

export const defaultTableBounds: TableBounds = { keysPerScope: 32, scopes: 5000 }

// Symbols, so no attacker-chosen string can name an overflow entry.
const overflowScope = Symbol('overflow scope')
const overflowKey = Symbol('overflow key')

export class WindowTable<V> {
  private window = Number.NaN
  private readonly scopes = new Map<string | symbol, Map<string | symbol, V>>()

  /** `create(overflow)` makes an entry; `overflow` is true for one that stands for many keys. */
  constructor(
    private readonly create: (overflow: boolean) => V,
    private readonly bounds: TableBounds = defaultTableBounds,
  ) {}

  /** True when nothing is held for `window` (older windows are dropped first). */
  isEmpty(window: number): boolean {
    this.roll(window)
    return this.scopes.size === 0
  }

  /** The entry standing for `key`: its own, or its scope's overflow entry; undefined when none. */
  get(window: number, scope: string, key: string): V | undefined {
    this.roll(window)
    const keys = this.scopes.get(scope) ?? this.overflow()
    return keys === undefined ? undefined : (keys.get(key) ?? keys.get(overflowKey))
  }

  /** The entry standing for `key`, made where the bounds allow, else its overflow entry. */
  upsert(window: number, scope: string, key: string): V {
    this.roll(window)
    let keys = this.scopes.get(scope) ?? this.overflow()
    if (keys === undefined) {
      keys = new Map()
      this.scopes.set(this.scopes.size < this.bounds.scopes ? scope : overflowScope, keys)
    }
    const existing = keys.get(key) ?? keys.get(overflowKey)
    if (existing !== undefined) return existing
    const overflow = keys.size >= this.bounds.keysPerScope
    const entry = this.create(overflow)
    keys.set(overflow ? overflowKey : key, entry)
    return entry
  }

  /** Forgets `key`'s own entry (never an overflow entry, which stands for others too). */
  delete(window: number, scope: string, key: string): void {
    this.roll(window)
    const keys = this.scopes.get(scope) ?? this.overflow()
    if (keys?.delete(key) && keys.size === 0) {
      this.scopes.delete(this.scopes.has(scope) ? scope : overflowScope)
    }
  }

  /** A scope not held uses the overflow scope once there is one (even if room is made later). */
  private overflow(): Map<string | symbol, V> | undefined {
    return this.scopes.get(overflowScope)
  }

  private roll(window: number): void {
    if (window !== this.window) {
      this.window = window
      this.scopes.clear()
    }
  }
}
