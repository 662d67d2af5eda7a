/**
 * Checks that can refuse a server's start, run before anything is opened or written: a
 * refused start leaves every store as it was.
 */
import type { Logger } from '../core/logger.ts'
import { ConfigError, type Problem } from './config/problems.ts'
import type { PorticoConfig } from './config/resolve.ts'
import { weakSeedSecrets } from './config/secret-strength.ts'
import { keySecretRule, looksLikeKeyMaterial } from './key-secret.ts'

export interface PreflightOptions {
  /** Warnings that do not refuse the start (development). */
  logger: Logger
  /** Default: `NODE_ENV === 'production'`. */
  production?: boolean
  env?: Record<string, string | undefined>
}

/** Throws a `ConfigError` (exit status 2) listing every problem that refuses the start. */
export function preflight(config: PorticoConfig, options: PreflightOptions): void {
  const env = options.env ?? process.env
  const production = options.production ?? env.NODE_ENV === 'production'
  const problems: Problem[] = []
  if (production && !config.issuer && config.allowedHosts.length === 0) {
    // Without a fixed issuer the Host header picks it, and with it the `iss` of tokens and the
    // audience private_key_jwt assertions must name (RFC 7523 §3): any Host would be believed.
    problems.push({
      path: 'issuer',
      message:
        'is required in production: without it every request names the issuer in its Host header (set issuer or PORTICO_ISSUER; or list the hosts to answer in allowedHosts, ["*"] for any)',
    })
  }
  const keySecret = config.keySecret || env.PORTICO_KEY_SECRET
  if (keySecret !== undefined && !looksLikeKeyMaterial(keySecret)) {
    const path = env.PORTICO_KEY_SECRET ? 'PORTICO_KEY_SECRET' : 'keySecret'
    // Never the value, not even its length: it is the root of every stored key.
    if (production) problems.push({ path, message: keySecretRule })
    else options.logger.warn('keys.weak_secret', { hint: `${path} ${keySecretRule}; refused in production` })
  }
  const weak = weakSeedSecrets(config.seed)
  if (production) problems.push(...weak)
  else
    for (const { path } of weak)
      options.logger.warn('seed.weak_secret', { path, hint: 'refused in production' })
  if (problems.length) throw new ConfigError(problems, config.file)
}
