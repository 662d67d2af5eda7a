/**
 * Operational records are Redis hashes, one field per property, so scripts can read
 * `expiresAt` or set `consumedAt` without parsing anything, and `data` is written once as is.
 * Absent optional properties are absent fields, so they come back `undefined`, never null.
 */

/** A record's properties as the flat field/value list HSET takes; undefined ones are left out. */
export function toFields(record: object): string[] {
  const fields: string[] = []
  for (const [name, value] of Object.entries(record)) {
    if (value !== undefined) fields.push(name, String(value))
  }
  return fields
}

/**
 * The record from HGETALL's flat reply; `numeric` names the properties that are numbers.
 * Undefined for an empty reply (no such key).
 */
export function fromFields<T>(flat: unknown, numeric: readonly string[]): T | undefined {
  if (!Array.isArray(flat) || flat.length === 0) return undefined
  const record: Record<string, string | number> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = String(flat[i])
    const value = String(flat[i + 1])
    record[name] = numeric.includes(name) ? Number(value) : value
  }
  return record as T
}
