/** @jsxImportSource hono/jsx */
/**
 * OAuth 2.0 Form Post Response Mode: the authorization response travels to the client's
 * redirect URI as an auto-submitted HTML form POST, its parameters as hidden fields.
 * The script submits on load; without JavaScript the user presses Continue.
 */
import { Layout } from '../layout.tsx'

export interface FormPostPageProps {
  /** The client's redirect URI. */
  action: string
  /** The response parameters (`code`, `state`, `iss`, …), one hidden field each. */
  fields: Record<string, string>
  /** The response's CSP nonce; the script runs only with it. */
  nonce: string
}

// Called through the prototype: a response field named `submit` would shadow form.submit.
// No quotes, `<` or `&` here: hono/jsx escapes the script's text.
const AUTO_SUBMIT = 'HTMLFormElement.prototype.submit.call(document.forms[0])'

export function FormPostPage({ action, fields, nonce }: FormPostPageProps) {
  return (
    <Layout title="Continuing" nonce={nonce}>
      <div class="center">
        <div class="spinner" aria-hidden="true" />
        <h1>Continuing to the application…</h1>
        <p class="lead">If nothing happens, press Continue.</p>
        <form method="post" action={action}>
          {Object.entries(fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <button class="button button-primary" type="submit">
            Continue
          </button>
        </form>
      </div>
      <script nonce={nonce}>{AUTO_SUBMIT}</script>
    </Layout>
  )
}
