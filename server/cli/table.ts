import type { Secret } from '../../core/models/secret.ts'

/** The CLI's plain-text listings: a header row and aligned columns, two spaces apart. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

/** Epoch milliseconds as an ISO instant to the second. */
export const isoDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** One `name  value` row per field; lists joined by commas, objects as JSON. */
export function formatFields(record: object): string {
  const rows = Object.entries(record).map(([name, value]) => [
    name,
    Array.isArray(value) && value.every((item) => typeof item === 'string')
      ? value.join(', ') || '-'
      : typeof value === 'object' && value !== null
        ? JSON.stringify(value)
        : String(value),
  ])
  return formatTable(rows)
}

/** Stored secrets are digests; still, printing them serves no one: their kind and expiry do. */
export function secretSummaries(secrets: readonly Secret[]) {
  return secrets.map((secret) => ({
    type: secret.type,
    ...(secret.description === undefined ? {} : { description: secret.description }),
    ...(secret.expiration === undefined ? {} : { expiration: isoDate(secret.expiration) }),
  }))
}
