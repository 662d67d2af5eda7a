/**
 * OIDC Front-Channel Logout 1.0 §2–§4: the logged-out page loads each client's
 * `frontChannelLogoutUri` in an iframe, so the client clears its own cookies in the browser.
 */
import type { Client } from '../../models/client.ts'

/** The iframe URL; §2: with `frontchannel_logout_session_required`, `iss` and `sid` are appended. */
export function frontChannelLogoutUrl(client: Client, issuer: string, sessionId: string): string | undefined {
  if (!client.frontChannelLogoutUri) return undefined
  if (!client.frontChannelLogoutSessionRequired) return client.frontChannelLogoutUri
  const url = new URL(client.frontChannelLogoutUri)
  url.searchParams.append('iss', issuer)
  url.searchParams.append('sid', sessionId)
  return url.toString()
}
