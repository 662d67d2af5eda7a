/**
 * OIDC Back-Channel Logout 1.0 §2.5: the OP POSTs a Logout Token to each client of the
 * session that registered a `backChannelLogoutUri`. Core decides what is sent to whom;
 * delivery (HTTP, timeouts, retries) belongs to whoever implements `BackChannelDelivery`.
 */

/** One Logout Token for one client. */
export interface BackChannelLogoutNotice {
  clientId: string
  uri: string
  logoutToken: string
}

export interface BackChannelDelivery {
  /** Queues the notices and returns at once: delivery never holds up the user's response. */
  send(notices: readonly BackChannelLogoutNotice[]): void
}
