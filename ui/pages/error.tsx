/** @jsxImportSource hono/jsx */
/**
 * The page shown when a browser request fails and no redirect can be trusted (an unknown
 * client or redirect URI at the authorize endpoint, RFC 6749 §4.1.2.1) or the server fails.
 * It never shows internals; the request id lets an operator find the log line.
 */
import { Layout } from '../layout.tsx'
import type { PageProps } from '../page-props.tsx'
import { standaloneProps } from '../standalone.ts'

/** What `ui.pages.error` receives. */
export interface ErrorViewProps extends PageProps {
  /** In the page's language. */
  title: string
  /** A short explanation safe to show to anyone, in the page's language. */
  message?: string | undefined
  /** An RFC error code, e.g. `invalid_request`. */
  error?: string | undefined
  /** The protocol's `error_description` (English, as sent to clients), for whoever reports the problem. */
  description?: string | undefined
  requestId?: string | undefined
}

/** The default error page (the card's content). */
export function ErrorView(props: ErrorViewProps) {
  const { t, title, message, error, description, requestId } = props
  return (
    <>
      <div class="error-mark" aria-hidden="true">
        !
      </div>
      <h1>{title}</h1>
      <p>{message || t('error.message')}</p>
      <p class="muted">{t('error.hint')}</p>
      {error || description || requestId ? (
        <dl class="details">
          {error ? (
            <div>
              <dt>{t('error.code')}</dt>
              <dd>
                <code>{error}</code>
              </dd>
            </div>
          ) : null}
          {description ? (
            <div>
              <dt>{t('error.details')}</dt>
              <dd>{description}</dd>
            </div>
          ) : null}
          {requestId ? (
            <div>
              <dt>{t('error.requestId')}</dt>
              <dd>
                <code>{requestId}</code>
              </dd>
            </div>
          ) : null}
        </dl>
      ) : null}
    </>
  )
}

/** The whole page in English with the built-in theme (tests, screenshots). */
export interface ErrorPageProps {
  title: string
  message?: string
  error?: string
  requestId?: string
  /** The response's CSP nonce (`c.get('cspNonce')`). */
  nonce?: string
}

export function ErrorPage({ nonce, ...props }: ErrorPageProps) {
  return (
    <Layout title={props.title} nonce={nonce}>
      <ErrorView {...standaloneProps} {...props} />
    </Layout>
  )
}
