/**
 * The continuation a login or consent form returns to. It can only be one of Portico's own
 * callbacks (authorize, device verification), given as a path under the issuer, so no form field can send a browser anywhere
 * else (no open redirect, RFC 9700 §4.11). The value is compared with how a URL parser reads
 * it: any form a browser would normalise differently (`//host`, `/\host`, `..;/`, `%2e%2e`,
 * case changes, extra parameters, a fragment) is refused rather than repaired.
 */
import { endpointPaths } from '../endpoints.ts'

export const authorizeCallbackPath = `${endpointPaths.authorization}/callback`
/** Where the device verification page continues after login (RFC 8628 §3.3). */
export const deviceCallbackPath = '/device/callback'
/** The only places a login may return to. */
export const callbackPaths = [authorizeCallbackPath, deviceCallbackPath] as const
export type CallbackPath = (typeof callbackPaths)[number]

const placeholderOrigin = 'https://portico.invalid'

/** The callback URL for an interaction value, as a path under `basePath` (the issuer's path). */
export function returnUrlFor(
  basePath: string,
  interaction: string,
  callback: CallbackPath = authorizeCallbackPath,
): string {
  return `${basePath}${callback}?${new URLSearchParams({ r: interaction })}`
}

/** Which callback a return URL names and the interaction it carries; undefined for anything else. */
export function readContinuation(
  value: string | undefined,
  basePath: string,
): { callback: CallbackPath; interaction: string } | undefined {
  for (const callback of callbackPaths) {
    const interaction = readReturnUrl(value, basePath, callback)
    if (interaction) return { callback, interaction }
  }
  return undefined
}

/** The interaction value a return URL carries, or undefined when it is not exactly that callback's URL. */
export function readReturnUrl(
  value: string | undefined,
  basePath: string,
  callback: CallbackPath = authorizeCallbackPath,
): string | undefined {
  if (!value || value.length > 8192) return undefined
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\\\x00-\x20\x7F]/.test(value)) return undefined
  const expectedPath = `${basePath}${callback}`
  if (!value.startsWith(`${expectedPath}?`)) return undefined
  const url = URL.parse(value, placeholderOrigin)
  if (!url || url.origin !== placeholderOrigin || url.pathname !== expectedPath || url.hash !== '')
    return undefined
  if (`${url.pathname}${url.search}` !== value) return undefined
  const names = [...url.searchParams.keys()]
  if (names.length !== 1 || names[0] !== 'r') return undefined
  return url.searchParams.get('r') || undefined
}
