/** @jsxImportSource hono/jsx */
/**
 * The device flow's pages (RFC 8628 §3.3): where the user types the code their TV or terminal
 * shows, and the answer once they decided. Rendering only; the route checks the code.
 */
import { Layout } from '../layout.tsx'
import { type FormProps, formFields, type PageProps } from '../page-props.tsx'
import { standaloneProps } from '../standalone.ts'

/** Code entry: post `user_code`. */
export interface DeviceCodeViewProps extends PageProps, FormProps {
  step: 'code'
  /** Pre-filled from `verification_uri_complete`; the user still confirms it. */
  userCode?: string | undefined
  error?: string | undefined
}

/** After the consent page: whether the device was allowed. */
export interface DeviceDoneViewProps extends PageProps {
  step: 'done'
  approved: boolean
  clientName: string
}

/** What `ui.pages.device` receives: one of its two steps. */
export type DeviceViewProps = DeviceCodeViewProps | DeviceDoneViewProps

const ERROR_ID = 'device-error'

/** The default device page (the card's content). */
export function DeviceView(props: DeviceViewProps) {
  const { t } = props
  if (props.step === 'done') {
    const { approved, clientName } = props
    return (
      <>
        <h1>{approved ? t('device.approved.title') : t('device.denied.title')}</h1>
        <p class="lead">
          {t(approved ? 'device.approved.lead' : 'device.denied.lead', { client: clientName })}
        </p>
      </>
    )
  }
  const { action, hidden, userCode, error } = props
  return (
    <>
      <h1>{t('device.title')}</h1>
      <p class="lead">{userCode && !error ? t('device.leadConfirm') : t('device.lead')}</p>
      {error ? (
        <div id={ERROR_ID} class="alert" role="alert">
          {error}
        </div>
      ) : null}
      <form method="post" action={action}>
        {hidden}
        <div class="field">
          <label for="user_code">{t('device.code')}</label>
          <input
            class="input code-input"
            id="user_code"
            name="user_code"
            type="text"
            inputmode="text"
            autocomplete="one-time-code"
            autocapitalize="characters"
            spellcheck={false}
            placeholder="XXXX-XXXX"
            maxlength={32}
            required
            value={userCode}
            autofocus
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? ERROR_ID : undefined}
          />
        </div>
        <div class="actions">
          <button class="button button-primary" type="submit">
            {t('device.continue')}
          </button>
        </div>
      </form>
    </>
  )
}

/** The whole code-entry page in English with the built-in theme (tests, screenshots). */
export interface DeviceCodePageProps {
  action: string
  antiForgery: string
  userCode?: string
  error?: string
  nonce?: string
}

export function DeviceCodePage({ antiForgery, nonce, ...props }: DeviceCodePageProps) {
  return (
    <Layout title={standaloneProps.t('device.title')} nonce={nonce}>
      <DeviceView {...standaloneProps} {...props} step="code" {...formFields(antiForgery)} />
    </Layout>
  )
}

export interface DeviceDonePageProps {
  approved: boolean
  clientName: string
  nonce?: string
}

export function DeviceDonePage({ nonce, ...props }: DeviceDonePageProps) {
  const title = standaloneProps.t(props.approved ? 'device.approved.title' : 'device.denied.title')
  return (
    <Layout title={title} nonce={nonce}>
      <DeviceView {...standaloneProps} {...props} step="done" />
    </Layout>
  )
}
