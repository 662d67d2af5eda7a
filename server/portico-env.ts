/**
 * What the app's parts share: the dependencies `createPorticoApp` takes and the variables every
 * handler can read. A file of its own, so routes need not import the app that mounts them.
 */
import type { Clock } from '../core/clock.ts'
import type { KeyRing } from '../core/keys/key-ring.ts'
import type { Logger } from '../core/logger.ts'
import type { BackChannelDelivery } from '../core/protocol/logout/back-channel-logout.ts'
import type { GrantHandler } from '../core/protocol/token/grant-handlers.ts'
import type { PageUi } from '../ui/page-ui.ts'
import type { PorticoConfig } from './config/resolve.ts'
import type { PrometheusMetrics } from './metrics/prometheus.ts'
import type { LoadedStore, Stores } from './stores/load.ts'

export interface PorticoDeps {
  config: PorticoConfig
  stores: Stores
  /** Every plugin instance, each with the roles it serves (health checks, shutdown). */
  instances: readonly LoadedStore[]
  keyRing?: KeyRing
  /** Extension grants (RFC 6749 §4.5) the token endpoint answers besides the built-in ones. */
  grantHandlers?: readonly GrantHandler[]
  /** Delivers Back-Channel Logout tokens; the process's sender (closed on shutdown), else one per app. */
  backChannel?: BackChannelDelivery
  logger: Logger
  clock: Clock
  /** `metrics.enabled`: the app's series (startPortico's also time the stores and key ring). */
  metrics?: PrometheusMetrics | undefined
}

/**
 * `c.var.requestId` (X-Request-Id), `c.var.issuer` (the public origin) and `c.var.ui` (the
 * configured pages) in every handler.
 */
export type PorticoEnv = {
  Variables: { requestId: string; issuer: string; cspNonce: string; ui: PageUi }
}
