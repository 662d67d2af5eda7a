/**
 * Which language a page is shown in: the request's `ui_locales` (OIDC Core §3.1.2.1), else
 * `Accept-Language` (RFC 9110 §12.5.4), else the default. Tags match by RFC 4647 §3.4 lookup.
 */
import { parseAccept } from 'hono/utils/accept'

export interface LocaleRequest {
  /** `ui_locales`: space-separated BCP 47 tags, most preferred first. */
  uiLocales?: string | undefined
  /** The `Accept-Language` header. */
  acceptLanguage?: string | undefined
}

/** The first of `available` the request asks for, else `fallback`. */
export function chooseLocale(request: LocaleRequest, available: readonly string[], fallback: string): string {
  const fromUiLocales = (request.uiLocales ?? '').split(' ').filter(Boolean)
  for (const tag of fromUiLocales) {
    const found = lookup(tag, available)
    if (found) return found
  }
  // hono's parser orders by quality (stable, so equal weights keep the header's order).
  for (const { type, q } of parseAccept(request.acceptLanguage ?? '')) {
    if (q <= 0 || type === '*') continue
    const found = lookup(type, available)
    if (found) return found
  }
  return fallback
}

/**
 * RFC 4647 §3.4 lookup: the tag itself, then with its last subtag removed (`de-CH-1996` →
 * `de-CH` → `de`), a single-letter subtag going with the one after it; case-insensitive.
 */
export function lookup(tag: string, available: readonly string[]): string | undefined {
  const subtags = tag.trim().toLowerCase().split('-')
  while (subtags.length > 0) {
    const candidate = subtags.join('-')
    const found = available.find((locale) => locale.toLowerCase() === candidate)
    if (found) return found
    subtags.pop()
    if (subtags.length > 1 && subtags.at(-1)!.length === 1) subtags.pop()
  }
  return undefined
}
