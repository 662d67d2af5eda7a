/**
 * The pages as a deployment configures them (`ui`): theme, languages, replaced components.
 * Built once per app; `context()` gives one response's language, translate function and nonce.
 */
import { cspSource, type ResolvedTheme, resolveTheme, type ThemeConfig } from './custom-theme.ts'
import {
  availableLocales,
  catalogue,
  type MessageOverrides,
  type Translate,
  translator,
} from './messages/index.ts'
import { chooseLocale, type LocaleRequest } from './messages/locale.ts'
import { defaultPages, type PageComponents } from './pages/index.ts'

/** `ui` in the config (server/config/ui-schema.ts checks it). */
export interface UiOptions {
  theme?: ThemeConfig | undefined
  /** The language when the request asks for none the pages offer; `en` unless given. */
  defaultLocale?: string | undefined
  messages?: MessageOverrides | undefined
  pages?: Partial<PageComponents> | undefined
}

/** One response's view of the pages. */
export interface PageContext {
  t: Translate
  locale: string
  theme: ResolvedTheme
  pages: PageComponents
  nonce: string
}

export interface PageUi {
  theme: ResolvedTheme
  pages: PageComponents
  /** Every language the pages can be shown in (built-in and added by `ui.messages`). */
  locales: readonly string[]
  defaultLocale: string
  /** CSP sources the theme needs beyond the page's nonce: its stylesheet's and logo's. */
  sources: { style: readonly string[]; img: readonly string[] }
  context(request: LocaleRequest & { nonce: string }): PageContext
}

export function createPageUi(options: UiOptions = {}): PageUi {
  const theme = resolveTheme(options.theme)
  const pages: PageComponents = { ...defaultPages, ...definedOnly(options.pages ?? {}) }
  const overrides = options.messages ?? {}
  const locales = availableLocales(overrides)
  const defaultLocale = options.defaultLocale ?? 'en'
  const translators = new Map<string, Translate>()
  const translate = (locale: string): Translate => {
    let t = translators.get(locale)
    if (!t) {
      t = translator(catalogue(locale, overrides))
      translators.set(locale, t)
    }
    return t
  }
  // The logo of a path needs 'self'; an https logo is covered by img-src https: already.
  const img = [theme.logoUrl, theme.darkLogoUrl].some((url) => url?.startsWith('/')) ? ["'self'"] : []
  const style = theme.stylesheetUrl ? [cspSource(theme.stylesheetUrl)] : []
  return {
    theme,
    pages,
    locales,
    defaultLocale,
    sources: { style, img },
    context(request) {
      const locale = chooseLocale(request, locales, defaultLocale)
      return { t: translate(locale), locale, theme, pages, nonce: request.nonce }
    },
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>
}
