/** Rows hold SQL NULL where the models leave an optional field out. */

type NullableKeys<T> = { [K in keyof T]: null extends T[K] ? K : never }[keyof T]

/** The row with its NULL columns left out, typed as the matching optional fields. */
export type Present<T> = { [K in Exclude<keyof T, NullableKeys<T>>]: T[K] } & {
  [K in NullableKeys<T>]?: Exclude<T[K], null>
}

/** The row without its NULL columns, in one pass (no entries array). */
export function present<T extends object>(row: T): Present<T> {
  const fields = row as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const name in fields) if (fields[name] !== null) out[name] = fields[name]
  return out as Present<T>
}
