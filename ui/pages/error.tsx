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
}

export function ErrorPage({ title, message, error, requestId }: ErrorPageProps) {
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      {message ? <p>{message}</p> : <p>The request could not be completed.</p>}
      {error ? (
        <p class="muted">
          Error: <code>{error}</code>
        </p>
      ) : null}
      {requestId ? <p class="muted">Request id: {requestId}</p> : null}
    </Layout>
  )
}
