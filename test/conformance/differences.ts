/**
 * What differs between a value a store returned and the one expected, field by field, for
 * failure messages that fit on a screen. `undefined` properties count as absent, as in
 * `toEqual`.
 */

export interface Difference {
  /** `.subjectId`, `[2].clientId`; empty for the value itself. */
  path: string
  expected: string
  actual: string
}

/** A value in a line: JSON, long strings cut in the middle, `absent` for undefined. */
export function show(value: unknown): string {
  if (value === undefined) return 'absent'
  if (typeof value === 'string')
    return JSON.stringify(value.length > 72 ? `${value.slice(0, 40)}…${value.slice(-24)}` : value)
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`
  if (value !== null && typeof value === 'object') {
    const text = JSON.stringify(value, (_, v) =>
      typeof v === 'string' && v.length > 48 ? `${v.slice(0, 24)}…` : v,
    )
    return text.length > 100 ? `${text.slice(0, 99)}…}` : text
  }
  return String(value)
}

export function differences(
  actual: unknown,
  expected: unknown,
  path = '',
  found: Difference[] = [],
): Difference[] {
  if (found.length > 50) return found
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) {
      // Item by item would only show the shift: the count says more.
      found.push({ path: `${path}.length`, expected: String(expected.length), actual: String(actual.length) })
      return found
    }
    for (let i = 0; i < Math.min(actual.length, expected.length); i++)
      differences(actual[i], expected[i], `${path}[${i}]`, found)
    return found
  }
  if (isRecord(actual) && isRecord(expected)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      differences(actual[key], expected[key], `${path}.${key}`, found)
    }
    return found
  }
  if (!Object.is(actual, expected)) found.push({ path, expected: show(expected), actual: show(actual) })
  return found
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
