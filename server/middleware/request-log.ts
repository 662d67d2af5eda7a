/**
 * One JSON line per request: method, route (the pattern, never the query string, which may
 * carry codes and tokens), status, duration and the request id, which is also echoed in
 * `X-Request-Id` (hono's requestId middleware honours a well-formed incoming one).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { Logger } from '../../core/logger.ts'

export function requestLog(logger: Logger): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async function requestLog(c, next) {
    const started = performance.now()
    await next()
    const status = c.res.status
    const fields = {
      method: c.req.method,
      route: matchedRoute(c),
      status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      request_id: c.get('requestId'),
    }
    if (status >= 500) logger.warn('request', fields)
    else logger.info('request', fields)
  }
}

/** The route pattern that answered (`/clients/:id`), or null when none matched. */
export function matchedRoute(c: Context): string | null {
  const path = routePath(c, -1)
  return path === '/*' || path === '*' || path === '' ? null : path
}
