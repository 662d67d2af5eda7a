/**
 * What every request gets before any route, in one middleware rather than a layer each (each
 * layer is an async frame and a closure in hono's compose): its request id, the app's pages
 * (`c.get('ui')`, for pages and error pages), and once answered, `X-Request-Id` on the response
 * and the request log line.
 */
import type { MiddlewareHandler } from 'hono'
import type { Logger } from '../../core/logger.ts'
import type { PageUi } from '../../ui/page-ui.ts'
import { requestIdFrom } from './request-id.ts'
import { logRequest } from './request-log.ts'

export function requestContext(
  logger: Logger,
  ui: PageUi,
): MiddlewareHandler<{ Variables: { requestId: string; ui: PageUi } }> {
  return async function requestContext(c, next) {
    const started = performance.now()
    const id = requestIdFrom(c.req.raw.headers.get('x-request-id'))
    c.set('requestId', id)
    c.set('ui', ui)
    // hono's compose turns a handler's error into the onError response before this resumes.
    await next()
    // Set on the finished response, in place: set before the handler, hono would copy it and
    // every header the handler gives into a new Headers object for each response.
    c.res.headers.set('X-Request-Id', id)
    logRequest(logger, c, id, started)
  }
}
