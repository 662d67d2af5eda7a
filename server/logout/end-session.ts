/**
 * The end-session endpoint's parts, assembled once per app: the decisions (core), the key ring
 * as signer of Logout Tokens and verifier of hints, and the back-channel delivery, shared with
 * the process (closed on shutdown) when `deps.backChannel` is given.
 */
import type { KeyRing } from '../../core/keys/key-ring.ts'
import type { ConfigurationCache } from '../../core/protocol/configuration-cache.ts'
import { EndSession } from '../../core/protocol/logout/end-session.ts'
import { logoutHintVerifier } from '../../core/protocol/logout/logout-hint.ts'
import type { PorticoDeps } from '../portico-env.ts'
import { BackChannelSender } from './back-channel-sender.ts'

export function createEndSession(
  deps: PorticoDeps,
  keyRing: KeyRing,
  configuration: ConfigurationCache,
): EndSession {
  return new EndSession({
    configuration,
    hints: logoutHintVerifier(keyRing),
    sessions: deps.stores.operational.sessions,
    signer: keyRing,
    signingAlgorithms: keyRing.algorithms,
    backChannel: deps.backChannel ?? new BackChannelSender({ logger: deps.logger }),
    clock: deps.clock,
    logger: deps.logger,
  })
}
