/** @jsxImportSource hono/jsx */
/**
 * "Sign out?" (OIDC RP-Initiated Logout 1.0 §2: the OP asks the user when it cannot tell the
 * request came from their client). Nothing happens until the form is posted; the route checks
 * the anti-forgery token and re-reads the carried fields.
 */
import { Layout } from '../layout.tsx'

export interface LogoutPageProps {
  /** Where the form posts (the logout confirmation route). */
  action: string
  antiForgery: string
  /** The request's parameters to carry through (`client_id`, `post_logout_redirect_uri`, `state`, `ui_locales`). */
  fields: Record<string, string>
  /** The client's display name, when the request named one. */
  clientName?: string | undefined
  nonce?: string
}

export function LogoutPage({ action, antiForgery, fields, clientName, nonce }: LogoutPageProps) {
  return (
    <Layout title="Sign out" nonce={nonce}>
      <h1>Sign out?</h1>
      <p class="lead">
        {clientName
          ? `${clientName} asks to sign you out. You will be signed out of every application that uses this account here.`
          : 'You will be signed out of every application that uses this account here.'}
      </p>
      <form method="post" action={action}>
        <input type="hidden" name="antiForgery" value={antiForgery} />
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <div class="actions">
          <button class="button button-primary" type="submit">
            Sign out
          </button>
        </div>
      </form>
    </Layout>
  )
}
