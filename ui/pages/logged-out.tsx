/** @jsxImportSource hono/jsx */
/**
 * "You are signed out", with a link back to the client when its post-logout URI was allowed.
 * Portico adds the protocol part after the page (`FrontChannelLogout`): each client's
 * front-channel logout URL in a hidden iframe (OIDC Front-Channel Logout 1.0 §4; the route's CSP
 * allows exactly those origins in frame-src) and, for a verified request, a script that goes to
 * the post-logout URI once the iframes have loaded (the window's load event waits for them), or
 * after a few seconds should one hang; without JavaScript the link does the same.
 */
import { Layout } from '../layout.tsx'
import type { Translate } from '../messages/index.ts'
import type { PageProps } from '../page-props.tsx'
import { standaloneProps } from '../standalone.ts'

/** What `ui.pages.loggedOut` receives. */
export interface LoggedOutViewProps extends PageProps {
  /** The client's post-logout URI (with `state`), when allowed. */
  returnUrl?: string | undefined
  clientName?: string | undefined
}

/** The default signed-out page (the card's content). */
export function LoggedOutView({ t, returnUrl, clientName }: LoggedOutViewProps) {
  return (
    <>
      <h1>{t('loggedOut.heading')}</h1>
      {returnUrl ? (
        <p class="lead">
          <a href={returnUrl}>
            {clientName ? t('loggedOut.return', { client: clientName }) : t('loggedOut.returnApp')}
          </a>
        </p>
      ) : (
        <p class="lead">{t('loggedOut.close')}</p>
      )}
    </>
  )
}

export interface FrontChannelLogoutProps {
  /** Front-channel logout iframe URLs. */
  frames: readonly string[]
  /** Where the script continues to, for a verified request only. */
  redirectTo?: string | undefined
  nonce?: string | undefined
  t: Translate
}

// No quotes, `<` or `&`: hono/jsx escapes a script's text. The URL is the <data> element just before it.
const CONTINUE =
  'var to=document.currentScript.previousElementSibling.value,go=function(){location.replace(to)};onload=go;setTimeout(go,4000)'

/** The iframes and the continuing script, rendered by Portico whatever page shows around them. */
export function FrontChannelLogout({ frames, redirectTo, nonce, t }: FrontChannelLogoutProps) {
  return (
    <>
      {frames.map((src) => (
        <iframe src={src} hidden title={t('loggedOut.frame')} width="0" height="0" aria-hidden="true" />
      ))}
      {redirectTo ? (
        <>
          <data value={redirectTo} hidden />
          <script nonce={nonce}>{CONTINUE}</script>
        </>
      ) : null}
    </>
  )
}

/** The whole page in English with the built-in theme (tests, screenshots). */
export interface LoggedOutPageProps {
  frames: readonly string[]
  returnUrl?: string | undefined
  clientName?: string | undefined
  /** Continue to `returnUrl` by script after the iframes load (only for a verified request). */
  redirect?: boolean
  nonce?: string
}

export function LoggedOutPage({ frames, returnUrl, clientName, redirect, nonce }: LoggedOutPageProps) {
  const { t } = standaloneProps
  return (
    <Layout title={t('loggedOut.title')} nonce={nonce}>
      <LoggedOutView {...standaloneProps} returnUrl={returnUrl} clientName={clientName} />
      <FrontChannelLogout frames={frames} redirectTo={redirect ? returnUrl : undefined} nonce={nonce} t={t} />
    </Layout>
  )
}
