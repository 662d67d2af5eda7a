/**
 * A team's theme (`ui.theme`): product name, logo, custom property values and an extra
 * stylesheet. Values go into the page's nonce'd <style> element, so they are held to plain
 * colour and length syntax: no quotes, `;`, braces, `<`, `\`, comments or `url(` can pass,
 * so nothing breaks out of the declaration or the element, and nothing is fetched.
 */
import { type ThemeVariable, themeVariables } from './theme.ts'

export interface ThemeConfig {
  /** The wordmark and the `<title>` suffix; `Portico` unless given. */
  productName?: string | undefined
  /** An https URL or a path on this origin (`/brand/logo.svg`), shown as `<img alt={productName}>`. */
  logoUrl?: string | undefined
  /** The logo for the dark colour scheme (`prefers-color-scheme: dark`), when `logoUrl` does not suit it. */
  darkLogoUrl?: string | undefined
  /** Custom property values (`{ primary: '#0f766e' }`), both colour schemes. */
  colors?: Readonly<Partial<Record<ThemeVariable, string>>> | undefined
  /** Values for the dark scheme only (`prefers-color-scheme: dark`), over `colors`. */
  darkColors?: Readonly<Partial<Record<ThemeVariable, string>>> | undefined
  /** An https URL or a path on this origin, linked after the built-in sheet. */
  stylesheetUrl?: string | undefined
}

/** What a page component may use of the theme. */
export interface ThemeInfo {
  productName: string
  logoUrl?: string | undefined
}

/** The theme as the layout uses it: `css` is the overrides, already checked. */
export interface ResolvedTheme extends ThemeInfo {
  darkLogoUrl?: string | undefined
  stylesheetUrl?: string | undefined
  css: string
}

export const defaultProductName = 'Portico'

const cssFunctions = new Set([
  'rgb',
  'rgba',
  'hsl',
  'hsla',
  'hwb',
  'lab',
  'lch',
  'oklab',
  'oklch',
  'color',
  'color-mix',
  'calc',
  'min',
  'max',
  'clamp',
])

/**
 * A value of plain colour/length syntax: `#0f766e`, `rebeccapurple`, `rgb(15 118 110 / .9)`,
 * `0.75rem`, `0 1px 2px rgb(0 0 0/.4)`, `Inter, system-ui, sans-serif`. Only letters, digits,
 * spaces and `#.,%()/+-`; parentheses balanced and opened only by a colour or math function.
 */
export function isSafeCssValue(value: string): boolean {
  if (value.trim() === '' || value.length > 200) return false
  if (!/^[a-zA-Z0-9#.,%()\s/+-]+$/.test(value)) return false
  let depth = 0
  for (const char of value) {
    if (char === '(') depth++
    else if (char === ')' && --depth < 0) return false
  }
  if (depth !== 0) return false
  for (const match of value.matchAll(/([a-zA-Z-]*)\s*\(/g)) {
    if (!cssFunctions.has(match[1]!.toLowerCase())) return false
  }
  return true
}

export function isThemeVariable(name: string): name is ThemeVariable {
  return (themeVariables as readonly string[]).includes(name)
}

/** An https URL, or a path on this origin (`/…`, never `//host`, the scheme-relative form). */
export function isAssetUrl(value: string): boolean {
  if (value.startsWith('/')) return !value.startsWith('//') && !value.includes('\\') && !/\s/.test(value)
  const url = URL.parse(value)
  return url?.protocol === 'https:' && url.username === '' && url.password === ''
}

function declarations(values: ThemeConfig['colors']): string {
  return Object.entries(values ?? {})
    .filter(([name, value]) => isThemeVariable(name) && typeof value === 'string' && isSafeCssValue(value))
    .map(([name, value]) => `--${name}:${value.trim()};`)
    .join('')
}

export function resolveTheme(config: ThemeConfig = {}): ResolvedTheme {
  const light = declarations(config.colors)
  const dark = declarations(config.darkColors)
  // After the built-in sheet: `colors` wins in both schemes, `darkColors` in the dark one.
  const css = `${light ? `:root{${light}}` : ''}${dark ? `@media (prefers-color-scheme:dark){:root{${dark}}}` : ''}`
  return {
    productName: config.productName ?? defaultProductName,
    ...(config.logoUrl && isAssetUrl(config.logoUrl) ? { logoUrl: config.logoUrl } : {}),
    ...(config.logoUrl && config.darkLogoUrl && isAssetUrl(config.darkLogoUrl)
      ? { darkLogoUrl: config.darkLogoUrl }
      : {}),
    ...(config.stylesheetUrl && isAssetUrl(config.stylesheetUrl)
      ? { stylesheetUrl: config.stylesheetUrl }
      : {}),
    css,
  }
}

/** The CSP source that lets a page load `url`: its origin, or `'self'` for a path. */
export function cspSource(url: string): string {
  return url.startsWith('/') ? "'self'" : new URL(url).origin
}
