/** @jsxImportSource hono/jsx */
/**
 * The sign-in form. It only renders: the route checks the anti-forgery token and the
 * credentials and decides where `returnUrl` may lead. Every value shown is escaped by hono/jsx.
 */
import { Layout } from '../layout.tsx'
import { type FormProps, formFields, type PageProps } from '../page-props.tsx'
import { standaloneProps } from '../standalone.ts'

/** What `ui.pages.login` receives. */
export interface LoginViewProps extends PageProps, FormProps {
  /** Carried through the POST untouched (it is among `hidden`); the route validates it. */
  returnUrl: string
  /** Pre-fills the user name (after a failed attempt or from `login_hint`). */
  username?: string | undefined
  /** A message safe to show, in the page's language. */
  error?: string | undefined
  /** The client's display name: "Sign in to continue to {client}". */
  clientName?: string | undefined
}

const ERROR_ID = 'login-error'

/** The default login page (the card's content; Portico wraps it in the layout). */
export function LoginView(props: LoginViewProps) {
  const { t, action, hidden, username, error, clientName } = props
  const describedBy = error ? ERROR_ID : undefined
  const invalid = error ? 'true' : undefined
  return (
    <>
      <h1>{t('login.heading')}</h1>
      <p class="lead">{clientName ? t('login.leadClient', { client: clientName }) : t('login.lead')}</p>
      {error ? (
        <div id={ERROR_ID} class="alert" role="alert">
          {error}
        </div>
      ) : null}
      <form method="post" action={action}>
        {hidden}
        <div class="field">
          <label for="username">{t('login.username')}</label>
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
          <label for="password">{t('login.password')}</label>
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
            {t('login.submit')}
          </button>
        </div>
      </form>
    </>
  )
}

/** The whole page in English with the built-in theme (tests, screenshots). */
export interface LoginPageProps {
  action: string
  returnUrl: string
  antiForgery: string
  username?: string
  error?: string
  clientName?: string
  nonce?: string
}

export function LoginPage({ antiForgery, nonce, ...props }: LoginPageProps) {
  return (
    <Layout title={standaloneProps.t('login.title')} nonce={nonce}>
      <LoginView
        {...standaloneProps}
        {...props}
        {...formFields(antiForgery, { returnUrl: props.returnUrl })}
      />
    </Layout>
  )
}
