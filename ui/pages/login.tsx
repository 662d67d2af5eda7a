/** @jsxImportSource hono/jsx */
/**
 * The sign-in form. It only renders: the route checks the anti-forgery token and the
 * credentials and decides where `returnUrl` may lead. Every value shown is escaped by hono/jsx.
 */
import { Layout } from '../layout.tsx'

export interface LoginPageProps {
  /** Where the form posts (the login route). */
  action: string
  /** Carried through the POST untouched; the route validates it. */
  returnUrl: string
  /** The anti-forgery token, posted back as `antiForgery`. */
  antiForgery: string
  /** Pre-fills the user name (after a failed attempt or from `login_hint`). */
  username?: string
  /** A message safe to show, e.g. "Invalid user name or password." */
  error?: string
  /** The client's display name: "Sign in to continue to {clientName}". */
  clientName?: string
  nonce?: string
}

const ERROR_ID = 'login-error'

export function LoginPage(props: LoginPageProps) {
  const { action, returnUrl, antiForgery, username, error, clientName, nonce } = props
  const describedBy = error ? ERROR_ID : undefined
  const invalid = error ? 'true' : undefined
  return (
    <Layout title="Sign in" nonce={nonce}>
      <h1>Welcome</h1>
      <p class="lead">{clientName ? `Sign in to continue to ${clientName}` : 'Sign in to continue.'}</p>
      {error ? (
        <div id={ERROR_ID} class="alert" role="alert">
          {error}
        </div>
      ) : null}
      <form method="post" action={action}>
        <input type="hidden" name="returnUrl" value={returnUrl} />
        <input type="hidden" name="antiForgery" value={antiForgery} />
        <div class="field">
          <label for="username">User name</label>
          <input
            class="input"
            id="username"
            name="username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            value={username}
            autofocus={!username}
            aria-invalid={invalid}
            aria-describedby={describedBy}
          />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input
            class="input"
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            autofocus={Boolean(username)}
            aria-invalid={invalid}
            aria-describedby={describedBy}
          />
        </div>
        <div class="actions">
          <button class="button button-primary" type="submit">
            Sign in
          </button>
        </div>
      </form>
    </Layout>
  )
}
