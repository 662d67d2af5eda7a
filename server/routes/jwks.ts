/** The JWKS at discovery's `jwks_uri` (RFC 7517 §5): every published public signing key. */
import type { Hono } from 'hono'
import { endpointPaths } from '../../core/protocol/endpoints.ts'
import type { PublicKeySource } from '../../core/protocol/tokens/token-signer.ts'
import type { PorticoEnv } from '../portico-env.ts'
import { cacheableGet } from './cacheable-get.ts'

export function mountJwksRoute(
  app: Hono<PorticoEnv>,
  keys: PublicKeySource,
  options: { issuerFromRequest: boolean },
): void {
  cacheableGet(app, endpointPaths.jwks, options, async (c) => c.json(await keys.jwks()))
}
