/**
 * What core reports for monitoring, as events rather than a metrics library: the server turns
 * them into Prometheus series (server/metrics/); embedders may count them their own way. Every
 * part takes one and defaults to `noMetrics`, so core never depends on a metrics library and
 * costs nothing when metrics are off.
 */
export interface Metrics {
  /** The token endpoint answered with tokens (RFC 6749 §5.1) for this grant type. */
  tokenIssued(grantType: string): void
  /** A client's credentials were refused (`invalid_client`, RFC 6749 §5.2). */
  clientAuthenticationFailed(method: string): void
  /** The credential check refused a user name and password at the login form. */
  userLoginFailed(): void
  /** The key ring reloaded its keys from the store, or failed to. */
  keyRingRefreshed(outcome: 'success' | 'failure'): void
  /** This instance created a key: a scheduled rotation, `keys rotate`, or a first key. */
  keyCreated(use: string, alg: string): void
}

export const noMetrics: Metrics = {
  tokenIssued() {},
  clientAuthenticationFailed() {},
  userLoginFailed() {},
  keyRingRefreshed() {},
  keyCreated() {},
}
