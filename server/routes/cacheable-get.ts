/**
 * Public, cacheable GET documents (discovery, JWKS), answered like static files: each distinct
 * body is encoded, hashed into a strong ETag and given its headers once; every request then
 * sends those bytes, or 304 when If-None-Match names the ETag (RFC 9110 §13.1.2).
 *
 * Five minutes of `max-age`: short enough that a revoked key or a changed configuration leaves
 * relying parties' caches soon, and far below the key ring's propagation time (14 days by
 * default), so a newly announced key is in every cached JWKS long before it signs.
 */
import type { Context, Hono } from 'hono'
import { OAuthError } from '../../core/protocol/errors.ts'
import type { PorticoEnv } from '../portico-env.ts'

export const publicDocumentMaxAge = 300

/**
 * A body as sent, built once: its strong ETag and both answers, which each request clones
 * (a clone copies the headers natively: about 1 µs less than building them per response).
 */
interface Rendered {
  etag: string
  ok: Response
  /** RFC 9110 §15.4.5: a 304 carries the validators and caching headers, not the body's type. */
  notModified: Response
}

/** Distinct bodies kept per path (issuers taken from requests are not bounded by us). */
const MAX_BODIES = 16

export function cacheableGet(
  app: Hono<PorticoEnv>,
  path: string,
  options: { issuerFromRequest: boolean },
  /** The document's JSON; the same string for the same document, so it is encoded once. */
  render: (c: Context<PorticoEnv>) => Promise<string>,
): void {
  const rendered = new Map<string, Rendered>()
  const fixedHeaders: Record<string, string> = {
    'Content-Type': 'application/json',
    'Cache-Control': `public, max-age=${publicDocumentMaxAge}`,
    // Readable by any origin's scripts: public documents (server/middleware/cors.ts answers the preflight).
    'Access-Control-Allow-Origin': '*',
  }
  // The URLs inside follow the request's origin: a shared cache must keep them apart.
  if (options.issuerFromRequest) fixedHeaders.Vary = 'X-Forwarded-Host, X-Forwarded-Proto'

  const prepare = (body: string): Rendered => {
    let hit = rendered.get(body)
    if (hit) return hit
    const bytes = new TextEncoder().encode(body)
    const etag = `"${new Bun.CryptoHasher('sha256').update(bytes).digest('base64url')}"`
    const headers: Record<string, string> = { ...fixedHeaders, ETag: etag }
    const notModifiedHeaders = { ...headers }
    delete notModifiedHeaders['Content-Type']
    hit = {
      etag,
      ok: new Response(bytes, { status: 200, headers }),
      notModified: new Response(null, { status: 304, headers: notModifiedHeaders }),
    }
    if (rendered.size >= MAX_BODIES) rendered.clear()
    rendered.set(body, hit)
    return hit
  }

  app.all(path, async function publicDocument(c) {
    const method = c.req.method
    if (method !== 'GET' && method !== 'HEAD') {
      throw new OAuthError('invalid_request', 'this document is read with GET', 405, { Allow: 'GET, HEAD' })
    }
    const document = prepare(await render(c))
    const condition = c.req.header('if-none-match')
    // A fresh Response each time: the request's middleware adds its own headers (X-Request-Id).
    if (condition !== undefined && matchesEtag(condition, document.etag)) return fresh(document.notModified)
    return fresh(document.ok)
  })
}

/** A copy of a prebuilt answer (typed as the global Response; @types/node's clone() names undici's). */
function fresh(response: Response): Response {
  return response.clone() as Response
}

/**
 * RFC 9110 §13.1.2: If-None-Match is `*` or a list of entity tags, compared weakly (a `W/`
 * prefix is ignored).
 */
export function matchesEtag(condition: string, etag: string): boolean {
  if (condition === etag) return true
  for (const part of condition.split(',')) {
    const tag = part.trim()
    if (tag === '*' || tag === etag || (tag.startsWith('W/') && tag.slice(2) === etag)) return true
  }
  return false
}
