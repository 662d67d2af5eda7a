/** @jsxImportSource hono/jsx */
/**
 * Errors become responses in this one place: `OAuthError` as RFC 6749 §5.2 JSON with its
 * status and headers; a store that cannot be reached as 503 `temporarily_unavailable` (a page
 * for browsers);
 * anything else as 500 `server_error` with no internals in the body (the details go to the
 * log, redacted).
 */
import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Logger } from '../../core/logger.ts'
import { OAuthError } from '../../core/protocol/errors.ts'
import { isStoreUnavailable } from '../../core/stores/errors.ts'
import { renderPage } from '../../ui/render.tsx'
import type { PorticoEnv } from '../portico-env.ts'
import {
  configuredUi,
  createCspNonce,
  type PageEnv,
  pageContext,
  pageSecurityHeaders,
} from './page-headers.ts'
import { matchedRoute } from './request-log.ts'

/** RFC 6749 §5.1: responses carrying or about credentials must not be cached. */
const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

export function errorResponse(logger: Logger): ErrorHandler<PorticoEnv> {
  return function errorResponse(error, c) {
    const requestId = c.get('requestId')
    if (error instanceof OAuthError) {
      if (error.status >= 500)
        logger.warn('request.oauth_error', { request_id: requestId, error: error.error })
      return c.json(error.toJSON(), error.status as 400, { ...noStore, ...error.headers })
    }
    if (isStoreUnavailable(error)) {
      logger.warn('store.unavailable', { request_id: requestId, store: error.store, error })
      const retry = { ...noStore, 'Retry-After': '5' }
      if (prefersHtml(c)) {
        // A browser (a login or consent form posted during an outage) gets a page, not JSON.
        const nonce = pageNonce(c)
        const page = pageContext(c)
        return c.html(
          renderPage({ ...page, nonce }, 'error', {
            title: page.t('error.title.unavailable'),
            message: page.t('error.message.unavailable'),
            error: 'temporarily_unavailable',
            requestId,
          }),
          503,
          { ...pageHeadersFor(c, nonce), ...retry },
        )
      }
      const body = new OAuthError(
        'temporarily_unavailable',
        'a backing store is unavailable; retry later',
        503,
      )
      return c.json(body.toJSON(), 503, retry)
    }
    if (error instanceof HTTPException) return error.getResponse()
    logger.error('request.failed', { request_id: requestId, route: matchedRoute(c), error })
    if (prefersHtml(c)) {
      const nonce = pageNonce(c)
      const page = pageContext(c)
      return c.html(
        renderPage({ ...page, nonce }, 'error', { title: page.t('error.title.server'), requestId }),
        500,
        pageHeadersFor(c, nonce),
      )
    }
    return c.json({ error: 'server_error', error_description: 'internal error' }, 500, noStore)
  }
}

/** An unknown path: a page for browsers, JSON for everyone else. */
export function notFoundResponse(c: Context<PorticoEnv>): Response | Promise<Response> {
  if (prefersHtml(c)) {
    const nonce = pageNonce(c)
    const page = pageContext(c)
    return c.html(
      renderPage({ ...page, nonce }, 'error', {
        title: page.t('error.title.notFound'),
        message: page.t('error.message.notFound'),
        requestId: c.get('requestId'),
      }),
      404,
      pageHeadersFor(c, nonce),
    )
  }
  return c.json({ error: 'not_found' }, 404)
}

/** The page headers with the theme's sources (its stylesheet's origin, a logo on this origin). */
function pageHeadersFor(c: Context, nonce: string): Record<string, string> {
  const { style, img } = configuredUi(c).sources
  return pageSecurityHeaders(nonce, { styleSources: style, imgSources: img })
}

/** The nonce `pageHeaders()` chose when the failing route has it (its headers win), else a fresh one. */
function pageNonce(c: Context): string {
  return (c as Context<PageEnv>).get('cspNonce') ?? createCspNonce()
}

/** Browsers (login, consent pages) get a page; API clients get JSON. */
export function prefersHtml(c: Context): boolean {
  const accept = c.req.header('accept') ?? ''
  return accept.includes('text/html') && !accept.includes('application/json')
}
