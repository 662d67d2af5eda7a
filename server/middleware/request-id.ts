/**
 * The request id: a well-formed incoming `X-Request-Id` is kept (so a proxy's id correlates
 * with ours), anything else is replaced by a fresh UUID. The same rule as hono's requestId
 * middleware, which this replaced to set the header on the finished response instead of
 * before the handler (hono then merges every response's headers into a prepared set).
 */

/** Longest incoming id kept. */
export const REQUEST_ID_MAX = 128

const wellFormed = /^[\w\-=]+$/

/** The id this request is logged and answered under. */
export function requestIdFrom(incoming: string | null): string {
  if (incoming && incoming.length <= REQUEST_ID_MAX && wellFormed.test(incoming)) return incoming
  return crypto.randomUUID()
}
