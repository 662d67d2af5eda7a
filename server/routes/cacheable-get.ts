/**
 * Public, cacheable GET documents (discovery, JWKS). Five minutes: short enough that a
 * rotated or revoked key leaves relying parties' caches soon, long enough to spare the server.
 */
import type { Context, Hono } from 'hono'
import { OAuthError } from '../../core/protocol/errors.ts'
import type { PorticoEnv } from '../portico-env.ts'

export const publicDocumentMaxAge = 300

export function cacheableGet(
  app: Hono<PorticoEnv>,
  path: string,
  options: { issuerFromRequest: boolean },
  handle: (c: Context<PorticoEnv>) => Promise<Response>,
): void {
  app.all(path, async function publicDocument(c) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      throw new OAuthError('invalid_request', 'this document is read with GET', 405, { Allow: 'GET, HEAD' })
    }
    const response = await handle(c)
    response.headers.set('Cache-Control', `public, max-age=${publicDocumentMaxAge}`)
    // The URLs inside follow the request's origin: a shared cache must keep them apart.
    if (options.issuerFromRequest) response.headers.set('Vary', 'X-Forwarded-Host, X-Forwarded-Proto')
    return response
  })
}
