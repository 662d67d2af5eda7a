/**
 * One JSON line per request: method, route (the pattern, never the query string, which may
 * carry codes and tokens), status, duration and the request id, which is also echoed in
 * `X-Request-Id` (server/middleware/request-context.ts).
 */
import type { Context } from 'hono'
import { routePath } from 'hono/route'
import type { Logger } from '../../core/logger.ts'

/** Logs the request `c` answered, started at `started` (`performance.now()`). */
export function logRequest(logger: Logger, c: Context, requestId: string, started: number): void {
  const status = c.res.status
  const fields = {
    method: c.req.method,
    route: matchedRoute(c),
    status,
    duration_ms: Math.round((performance.now() - started) * 100) / 100,
    request_id: requestId,
  }
  if (status >= 500) logger.warn('request', fields)
  else logger.info('request', fields)
}

/** The route pattern that answered (`/clients/:id`), or null when none matched. */
export function matchedRoute(c: Context): string | null {
  const path = routePath(c, -1)
  return path === '/*' || path === '*' || path === '' ? null : path
}
