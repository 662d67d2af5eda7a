/**
 * The JWKS at discovery's `jwks_uri` (RFC 7517 §5): every published public signing key,
 * serialized once per change of the published set. A kid names one key's material for good, so
 * the list of kids identifies the document.
 */
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
  let last = { kids: '', body: '' }
  cacheableGet(app, endpointPaths.jwks, options, async () => {
    // Asked every time: keys are announced, refreshed from the store and expire by the clock.
    const jwks = await keys.jwks()
    let kids = ''
    for (const key of jwks.keys) kids += `${key.kid} `
    if (kids !== last.kids || last.body === '') last = { kids, body: JSON.stringify(jwks) }
    return last.body
  })
}
