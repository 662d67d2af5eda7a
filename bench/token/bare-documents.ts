/**
 * The bare reference for discovery and JWKS: a Bun server that answers each path with bytes
 * serialized once, with the headers Portico sends (Content-Type, Cache-Control, ETag, Vary
 * when present, and a fresh X-Request-Id per response as Portico's), and 304 on a matching
 * If-None-Match. Portico's document throughput is reported as a fraction of this one's.
 *
 * bun bench/token/bare-documents.ts <port> <documents.json>
 * where documents.json maps each path to `{ body, headers }` as Portico answered it.
 */
import { readFileSync } from 'node:fs'

const port = Number(process.argv[2] ?? 4300)
const given = JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as Record<
  string,
  { body: string; headers: Record<string, string> }
>
const documents = new Map(
  Object.entries(given).map(([path, { body, headers }]) => {
    const { 'x-request-id': _perRequest, 'content-length': _length, ...fixed } = headers
    return [path, { body: new TextEncoder().encode(body), headers: fixed, etag: headers.etag }]
  }),
)

Bun.serve({
  port,
  hostname: '127.0.0.1',
  fetch(request) {
    const path = new URL(request.url).pathname
    if (path === '/healthz') return new Response('ok')
    const document = documents.get(path)
    if (!document) return new Response('not found', { status: 404 })
    const headers = { ...document.headers, 'x-request-id': crypto.randomUUID() }
    if (document.etag !== undefined && request.headers.get('if-none-match') === document.etag) {
      return new Response(null, { status: 304, headers })
    }
    return new Response(document.body, { headers })
  },
})
