/** @jsxImportSource hono/jsx */
/**
 * The consent form: which scopes the user grants a client. It only renders; the route
 * checks the anti-forgery token, intersects the posted `scope` values with what was
 * requested and re-adds required scopes whatever the browser sent.
 */
import { Layout } from '../layout.tsx'
import type { Translate } from '../messages/index.ts'
import { type FormProps, formFields, type PageProps } from '../page-props.tsx'
import { standaloneProps } from '../standalone.ts'

export interface ScopeChoice {
  name: string
  displayName: string
  description?: string
  /** Shown checked and disabled; posted through a hidden field (disabled inputs are not sent). */
  required: boolean
  /** Marked for attention (IdentityServer's Emphasize), e.g. offline access. */
  emphasize?: boolean
  checked: boolean
}

export interface ConsentClient {
  name: string
  uri?: string
  logoUri?: string
}

/** What `ui.pages.consent` receives. Post `scope` (each chosen), `decision` (`allow`/`deny`), `remember` (`on`). */
export interface ConsentViewProps extends PageProps, FormProps {
  returnUrl: string
  client: ConsentClient
  identityScopes: ScopeChoice[]
  apiScopes: ScopeChoice[]
  allowRemember: boolean
  /** Who is signed in, so the user sees which account they share ("Signed in as …"). */
  userName?: string | undefined
  /** Device flow: the code the user must find on their device before allowing (RFC 8628 §5.4). */
  userCode?: string | undefined
}

/** The URL when its scheme is one of `schemes`; `javascript:`, `data:` and the like never render. */
export function urlWithScheme(value: string | undefined, schemes: readonly string[]): string | undefined {
  if (!value || !URL.canParse(value)) return undefined
  return schemes.includes(new URL(value).protocol) ? value : undefined
}

function ScopeList(props: { legend: string; group: string; scopes: ScopeChoice[]; t: Translate }) {
  const { legend, group, scopes, t } = props
  if (scopes.length === 0) return null
  return (
    <fieldset>
      <legend>{legend}</legend>
      <ul class="scopes">
        {scopes.map((scope, index) => {
          const descriptionId = scope.description ? `${group}-${index}-desc` : undefined
          return (
            <li class={scope.emphasize ? 'scope scope-emphasize' : 'scope'}>
              <label>
                <input
                  type="checkbox"
                  name="scope"
                  value={scope.name}
                  checked={scope.required || scope.checked}
                  disabled={scope.required}
                  aria-describedby={descriptionId}
                />
                <span>
                  <span class="scope-name">
                    {scope.displayName}
                    {scope.required ? <span class="badge">{t('consent.required')}</span> : null}
                    {scope.emphasize && !scope.required ? (
                      <span class="visually-hidden"> {t('consent.sensitive')}</span>
                    ) : null}
                  </span>
                  {scope.description ? (
                    <span class="scope-desc" id={descriptionId}>
                      {scope.description}
                    </span>
                  ) : null}
                </span>
              </label>
              {scope.required ? <input type="hidden" name="scope" value={scope.name} /> : null}
            </li>
          )
        })}
      </ul>
    </fieldset>
  )
}

/** The default consent page (the card's content). */
export function ConsentView(props: ConsentViewProps) {
  const { t, action, hidden, client, identityScopes, apiScopes, allowRemember, userName, userCode } = props
  const logo = urlWithScheme(client.logoUri, ['https:'])
  const link = urlWithScheme(client.uri, ['https:', 'http:'])
  const initial = Array.from(client.name.trim())[0]?.toUpperCase() ?? '?'
  const optional = [...identityScopes, ...apiScopes].some((scope) => !scope.required)
  return (
    <>
      <div class="client">
        {logo ? (
          <img
            class="client-logo"
            src={logo}
            alt={t('consent.logoAlt', { client: client.name })}
            width="48"
            height="48"
          />
        ) : (
          <span class="client-initial" aria-hidden="true">
            {initial}
          </span>
        )}
        <div class="client-text">
          <h1>{client.name}</h1>
          {link ? (
            <p>
              <a href={link} rel="noopener noreferrer" target="_blank">
                {link}
              </a>
            </p>
          ) : null}
        </div>
      </div>
      <p class="lead">
        {t('consent.lead')}
        {optional ? ` ${t('consent.uncheck')}` : null}
      </p>
      {userName ? <p class="muted">{t('consent.signedInAs', { user: userName })}</p> : null}
      {userCode ? (
        <div class="alert alert-info" role="note">
          {t('consent.deviceCode')} <strong class="code">{userCode}</strong>
        </div>
      ) : null}
      <form method="post" action={action}>
        {hidden}
        <ScopeList legend={t('consent.identityScopes')} group="identity" scopes={identityScopes} t={t} />
        <ScopeList legend={t('consent.apiScopes')} group="api" scopes={apiScopes} t={t} />
        {allowRemember ? (
          <label class="check">
            <input type="checkbox" name="remember" value="on" />
            {t('consent.remember')}
          </label>
        ) : null}
        <div class="actions">
          <button class="button button-primary" type="submit" name="decision" value="allow">
            {t('consent.allow')}
          </button>
          <button class="button button-secondary" type="submit" name="decision" value="deny">
            {t('consent.deny')}
          </button>
        </div>
      </form>
    </>
  )
}

/** The whole page in English with the built-in theme (tests, screenshots). */
export interface ConsentPageProps {
  action: string
  returnUrl: string
  antiForgery: string
  client: ConsentClient
  identityScopes: ScopeChoice[]
  apiScopes: ScopeChoice[]
  allowRemember: boolean
  userName?: string
  userCode?: string
  nonce?: string
}

export function ConsentPage({ antiForgery, nonce, ...props }: ConsentPageProps) {
  return (
    <Layout
      title={standaloneProps.t('consent.title', { client: props.client.name })}
      nonce={nonce}
      width="wide"
    >
      <ConsentView
        {...standaloneProps}
        {...props}
        {...formFields(antiForgery, { returnUrl: props.returnUrl })}
      />
    </Layout>
  )
}
