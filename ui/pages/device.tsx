/** @jsxImportSource hono/jsx */
/**
 * The device flow's pages (RFC 8628 §3.3): where the user types the code their TV or terminal
 * shows, and the answer once they decided. Rendering only; the route checks the code.
 */
import { Layout } from '../layout.tsx'

export interface DeviceCodePageProps {
  action: string
  antiForgery: string
  /** Pre-filled from `verification_uri_complete`; the user still confirms it. */
  userCode?: string
  error?: string
  nonce?: string
}

const ERROR_ID = 'device-error'

export function DeviceCodePage({ action, antiForgery, userCode, error, nonce }: DeviceCodePageProps) {
  return (
    <Layout title="Connect a device" nonce={nonce}>
      <h1>Connect a device</h1>
      <p class="lead">
        {userCode && !error
          ? 'Check that this code matches the one shown on your device, then continue.'
          : 'Enter the code shown on your device.'}
      </p>
      {error ? (
        <div id={ERROR_ID} class="alert" role="alert">
          {error}
        </div>
      ) : null}
      <form method="post" action={action}>
        <input type="hidden" name="antiForgery" value={antiForgery} />
        <div class="field">
          <label for="user_code">Code</label>
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
            Continue
          </button>
        </div>
      </form>
    </Layout>
  )
}

export interface DeviceDonePageProps {
  approved: boolean
  clientName: string
  nonce?: string
}

export function DeviceDonePage({ approved, clientName, nonce }: DeviceDonePageProps) {
  return (
    <Layout title={approved ? 'Device connected' : 'Access denied'} nonce={nonce}>
      <h1>{approved ? 'Device connected' : 'Access denied'}</h1>
      <p class="lead">
        {approved
          ? `${clientName} can now continue on your device. You can close this page.`
          : `${clientName} was not given access. You can close this page.`}
      </p>
    </Layout>
  )
}
