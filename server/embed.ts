/**
 * Portico inside your own app (`import { createPortico } from 'portico/server'`): the same
 * config object a file holds, validated the same way, and back comes a Hono app to mount under
 * a path of yours, with the stores and key ring it stands on.
 *
 * @example
 * const portico = await createPortico({
 *   config: { issuer: 'https://app.example.com/auth', store: 'postgres://…', seed: { … } },
 * })
 * host.route('/auth', portico.app) // the issuer's path is where it is mounted
 * process.on('SIGTERM', () => portico.close())
 */
import type { Hono } from 'hono'
import { type Clock, systemClock } from '../core/clock.ts'
import type { KeyRing } from '../core/keys/key-ring.ts'
import type { Logger } from '../core/logger.ts'
import type { GrantHandler } from '../core/protocol/token/grant-handlers.ts'
import type { ConfigInput } from './config/define.ts'
import { parseConfig } from './config/load.ts'
import type { PorticoConfig } from './config/resolve.ts'
import { createLogger } from './logging/logger.ts'
import type { PorticoEnv } from './portico-env.ts'
import { assemblePortico } from './start.ts'
import type { Stores } from './stores/load.ts'

// The pages a team may replace (`ui.pages`, docs/theming.md): the defaults to wrap or restyle, their props.
export type { ThemeInfo } from '../ui/custom-theme.ts'
export type { MessageKey, Messages, Translate } from '../ui/messages/index.ts'
export { builtInMessages } from '../ui/messages/index.ts'
export type { AntiForgeryField, FormProps, PageComponent, PageProps } from '../ui/page-props.tsx'
export { ConsentView, type ConsentViewProps, type ScopeChoice } from '../ui/pages/consent.tsx'
export {
  type DeviceCodeViewProps,
  type DeviceDoneViewProps,
  DeviceView,
  type DeviceViewProps,
} from '../ui/pages/device.tsx'
export { ErrorView, type ErrorViewProps } from '../ui/pages/error.tsx'
export { defaultPages, type PageComponents, type PageName, type PagePropsByName } from '../ui/pages/index.ts'
export { LoggedOutView, type LoggedOutViewProps } from '../ui/pages/logged-out.tsx'
export { LoginView, type LoginViewProps } from '../ui/pages/login.tsx'
export { LogoutView, type LogoutViewProps } from '../ui/pages/logout.tsx'
export type { ConfigInput, GrantHandler, PorticoConfig }

export interface EmbedOptions {
  /** The config, as a file would hold it (`defineConfig`'s shape); environment overrides do not apply. */
  config: ConfigInput
  /** Where relative paths in the config (a `file:` store, `dataDir`, plugin paths) resolve; default the working directory. */
  baseDir?: string
  /** Extension grants (RFC 6749 §4.5) the token endpoint answers besides the built-in ones. */
  grantHandlers?: readonly GrantHandler[]
  /** Default: JSON lines on stdout at the config's `log.level`. */
  logger?: Logger
  clock?: Clock
}

export interface EmbeddedPortico {
  /** Mount it under the issuer's path: `host.route('/auth', portico.app)`. */
  app: Hono<PorticoEnv>
  config: PorticoConfig
  stores: Stores
  keyRing: KeyRing
  /** Stops the key ring and background jobs and closes every store. Idempotent. */
  close(): Promise<void>
}

export async function createPortico(options: EmbedOptions): Promise<EmbeddedPortico> {
  const config = parseConfig(options.config, { baseDir: options.baseDir ?? process.cwd() })
  const logger = options.logger ?? createLogger({ level: config.log.level })
  const assembled = await assemblePortico(config, {
    logger,
    clock: options.clock ?? systemClock,
    grantHandlers: options.grantHandlers,
  })
  return {
    app: assembled.app,
    config,
    stores: assembled.deps.stores,
    keyRing: assembled.deps.keyRing!,
    close: () => assembled.close(),
  }
}
