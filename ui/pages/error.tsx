/** @jsxImportSource hono/jsx */
/**
 * The page shown when a browser request fails and no redirect can be trusted (an unknown
 * client or redirect URI at the authorize endpoint, RFC 6749 §4.1.2.1) or the server fails.
 * It never shows internals; the request id lets an operator find the log line.
 */
import { Layout } from '../layout.tsx'

export interface ErrorPageProps {
  title: string
  /** A short explanation safe to show to anyone. */
  message?: string
  /** An RFC error code, e.g. `invalid_request`. */
  error?: string
  requestId?: string
  /** The response's CSP nonce (`c.get('cspNonce')`). */
  nonce?: string
}

export function ErrorPage({ title, message, error, requestId, nonce }: ErrorPageProps) {
  return (
    <Layout title={title} nonce={nonce}>
      <div class="error-mark" aria-hidden="true">
        !
      </div>
      <h1>{title}</h1>
      <p>{message || 'The request could not be completed.'}</p>
      <p class="muted">You can close this page and try again from the application you came from.</p>
      {error || requestId ? (
        <dl class="details">
          {error ? (
            <div>
              <dt>Error</dt>
              <dd>
                <code>{error}</code>
              </dd>
            </div>
          ) : null}
          {requestId ? (
            <div>
              <dt>Request id</dt>
              <dd>
                <code>{requestId}</code>
              </dd>
            </div>
          ) : null}
        </dl>
      ) : null}
    </Layout>
  )
}
