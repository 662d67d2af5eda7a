/** @jsxImportSource hono/jsx */
/**
 * The consent form: which scopes the user grants a client. It only renders; the route
 * checks the anti-forgery token, intersects the posted `scope` values with what was
 * requested and re-adds required scopes whatever the browser sent.
 */
import { Layout } from '../layout.tsx'

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

export interface ConsentPageProps {
  action: string
  returnUrl: string
  antiForgery: string
  client: { name: string; uri?: string; logoUri?: string }
  identityScopes: ScopeChoice[]
  apiScopes: ScopeChoice[]
  allowRemember: boolean
  /** Who is signed in, so the user sees which account they share ("Signed in as …"). */
  userName?: string
  /** Device flow: the code the user must find on their device before allowing (RFC 8628 §5.4). */
  userCode?: string
  nonce?: string
}

/** The URL when its scheme is one of `schemes`; `javascript:`, `data:` and the like never render. */
function urlWithScheme(value: string | undefined, schemes: readonly string[]): string | undefined {
  if (!value || !URL.canParse(value)) return undefined
  return schemes.includes(new URL(value).protocol) ? value : undefined
}

function ScopeList({ legend, group, scopes }: { legend: string; group: string; scopes: ScopeChoice[] }) {
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
                    {scope.required ? <span class="badge">required</span> : null}
                    {scope.emphasize && !scope.required ? (
                      <span class="visually-hidden"> (sensitive)</span>
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

export function ConsentPage(props: ConsentPageProps) {
  const {
    action,
    returnUrl,
    antiForgery,
    client,
    identityScopes,
    apiScopes,
    allowRemember,
    userName,
    userCode,
    nonce,
  } = props
  const logo = urlWithScheme(client.logoUri, ['https:'])
  const link = urlWithScheme(client.uri, ['https:', 'http:'])
  const initial = Array.from(client.name.trim())[0]?.toUpperCase() ?? '?'
  const optional = [...identityScopes, ...apiScopes].some((scope) => !scope.required)
  return (
    <Layout title={`Authorize ${client.name}`} nonce={nonce} width="wide">
      <div class="client">
        {logo ? (
          <img class="client-logo" src={logo} alt={`${client.name} logo`} width="48" height="48" />
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
        This application is asking for access to your account.
        {optional ? ' Uncheck anything you do not want to share.' : null}
      </p>
      {userName ? <p class="muted">Signed in as {userName}</p> : null}
      {userCode ? (
        <div class="alert alert-info" role="note">
          Allow only if your device shows the code <strong class="code">{userCode}</strong>.
        </div>
      ) : null}
      <form method="post" action={action}>
        <input type="hidden" name="returnUrl" value={returnUrl} />
        <input type="hidden" name="antiForgery" value={antiForgery} />
        <ScopeList legend="Personal information" group="identity" scopes={identityScopes} />
        <ScopeList legend="Application access" group="api" scopes={apiScopes} />
        {allowRemember ? (
          <label class="check">
            <input type="checkbox" name="remember" value="on" />
            Remember my decision
          </label>
        ) : null}
        <div class="actions">
          <button class="button button-primary" type="submit" name="decision" value="allow">
            Allow
          </button>
          <button class="button button-secondary" type="submit" name="decision" value="deny">
            Deny
          </button>
        </div>
      </form>
    </Layout>
  )
}
