/** Rows hold SQL NULL where the models leave an optional field out. */

type NullableKeys<T> = { [K in keyof T]: null extends T[K] ? K : never }[keyof T]

/** The row with its NULL columns left out, typed as the matching optional fields. */
export type Present<T> = { [K in Exclude<keyof T, NullableKeys<T>>]: T[K] } & {
  [K in NullableKeys<T>]?: Exclude<T[K], null>
}

export function present<T extends object>(row: T): Present<T> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) as Present<T>
}
