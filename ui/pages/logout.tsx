/** @jsxImportSource hono/jsx */
/**
 * "Sign out?" (OIDC RP-Initiated Logout 1.0 §2: the OP asks the user when it cannot tell the
 * request came from their client). Nothing happens until the form is posted; the route checks
 * the anti-forgery token and re-reads the carried fields.
 */
import { Layout } from '../layout.tsx'
import { type FormProps, formFields, type PageProps } from '../page-props.tsx'
import { standaloneProps } from '../standalone.ts'

/** What `ui.pages.logout` receives; `hidden` carries the request's parameters. */
export interface LogoutViewProps extends PageProps, FormProps {
  /** The client's display name, when the request named one. */
  clientName?: string | undefined
}

/** The default sign-out question (the card's content). */
export function LogoutView({ t, action, hidden, clientName }: LogoutViewProps) {
  return (
    <>
      <h1>{t('logout.heading')}</h1>
      <p class="lead">{clientName ? t('logout.leadClient', { client: clientName }) : t('logout.lead')}</p>
      <form method="post" action={action}>
        {hidden}
        <div class="actions">
          <button class="button button-primary" type="submit">
            {t('logout.submit')}
          </button>
        </div>
      </form>
    </>
  )
}

/** The whole page in English with the built-in theme (tests, screenshots). */
export interface LogoutPageProps {
  action: string
  antiForgery: string
  /** The request's parameters to carry through (`client_id`, `post_logout_redirect_uri`, `state`, `ui_locales`). */
  fields: Record<string, string>
  clientName?: string | undefined
  nonce?: string
}

export function LogoutPage({ antiForgery, fields, nonce, ...props }: LogoutPageProps) {
  return (
    <Layout title={standaloneProps.t('logout.title')} nonce={nonce}>
      <LogoutView {...standaloneProps} {...props} {...formFields(antiForgery, fields)} />
    </Layout>
  )
}
