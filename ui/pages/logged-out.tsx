/** @jsxImportSource hono/jsx */
/**
 * "You are signed out". Loads each client's front-channel logout URL in a hidden iframe (OIDC
 * Front-Channel Logout 1.0 §4; the route's CSP allows exactly those origins in frame-src) and
 * links back to the client when its post-logout URI was allowed. With `redirect`, the script
 * goes there once the iframes have loaded (the window's load event waits for them), or after a
 * few seconds should one hang; without JavaScript the link does the same.
 */
import { Layout } from '../layout.tsx'

export interface LoggedOutPageProps {
  /** Front-channel logout iframe URLs. */
  frames: readonly string[]
  /** The client's post-logout URI (with `state`), when allowed. */
  returnUrl?: string | undefined
  clientName?: string | undefined
  /** Continue to `returnUrl` by script after the iframes load (only for a verified request). */
  redirect?: boolean
  nonce?: string
}

// No quotes, `<` or `&`: hono/jsx escapes a script's text. The link is the page's first anchor.
const CONTINUE = 'var go=function(){location.replace(document.links[0].href)};onload=go;setTimeout(go,4000)'

export function LoggedOutPage({ frames, returnUrl, clientName, redirect, nonce }: LoggedOutPageProps) {
  return (
    <Layout title="Signed out" nonce={nonce}>
      <h1>You are signed out</h1>
      {returnUrl ? (
        <p class="lead">
          <a href={returnUrl}>{`Return to ${clientName ?? 'the application'}`}</a>
        </p>
      ) : (
        <p class="lead">You can close this page.</p>
      )}
      {frames.map((src) => (
        <iframe src={src} hidden title="sign-out" width="0" height="0" aria-hidden="true" />
      ))}
      {redirect && returnUrl ? <script nonce={nonce}>{CONTINUE}</script> : null}
    </Layout>
  )
}
