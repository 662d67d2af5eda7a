/** What every token, introspection and revocation response must carry. */
import { expect } from 'bun:test'

/** RFC 6749 §5.1 / §5.2: never cached; an error is a JSON `{ error, error_description? }`. */
export async function expectOAuthError(response: Response, status: number, error: string): Promise<void> {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toContain('application/json')
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(response.headers.get('pragma')).toBe('no-cache')
  const body = (await response.json()) as Record<string, unknown>
  expect(body.error).toBe(error)
  for (const key of Object.keys(body)) expect(['error', 'error_description']).toContain(key)
  // RFC 6749 §5.2: error_description is printable ASCII without `"` and `\`.
  if (body.error_description !== undefined) {
    expect(body.error_description).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/)
  }
}

export function expectNoStore(response: Response): void {
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(response.headers.get('pragma')).toBe('no-cache')
}
