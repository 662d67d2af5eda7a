/** @jsxImportSource hono/jsx */
/**
 * OAuth 2.0 Form Post Response Mode: the authorization response travels to the client's
 * redirect URI as an auto-submitted HTML form POST, its parameters as hidden fields.
 * The script submits on load; without JavaScript the user presses Continue. Protocol, not
 * look: not replaceable, but translated and themed.
 */
import type { ResolvedTheme } from '../custom-theme.ts'
import { Layout } from '../layout.tsx'
import type { Translate } from '../messages/index.ts'
import { standaloneProps } from '../standalone.ts'

export interface FormPostPageProps {
  /** The client's redirect URI. */
  action: string
  /** The response parameters (`code`, `state`, `iss`, …), one hidden field each. */
  fields: Record<string, string>
  /** The response's CSP nonce; the script runs only with it. */
  nonce: string
  t?: Translate | undefined
  locale?: string | undefined
  theme?: ResolvedTheme | undefined
}

// Called through the prototype: a response field named `submit` would shadow form.submit.
// No quotes, `<` or `&` here: hono/jsx escapes the script's text.
const AUTO_SUBMIT = 'HTMLFormElement.prototype.submit.call(document.forms[0])'

export function FormPostPage(props: FormPostPageProps) {
  const { action, fields, nonce, t = standaloneProps.t, locale, theme } = props
  return (
    <Layout title={t('formPost.title')} nonce={nonce} lang={locale} theme={theme}>
      <div class="center">
        <div class="spinner" aria-hidden="true" />
        <h1>{t('formPost.heading')}</h1>
        <p class="lead">{t('formPost.lead')}</p>
        <form method="post" action={action}>
          {Object.entries(fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <button class="button button-primary" type="submit">
            {t('formPost.continue')}
          </button>
        </form>
      </div>
      <script nonce={nonce}>{AUTO_SUBMIT}</script>
    </Layout>
  )
}
