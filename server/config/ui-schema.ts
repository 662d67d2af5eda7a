/**
 * The `ui` config section (docs/theming.md): the pages' theme, languages and replaced components.
 * Theme values end up inside the page's <style> element, so they are held to plain colour and
 * length syntax (ui/custom-theme.ts); message overrides name keys of ui/messages/en.ts and use
 * only that text's placeholders; replaced pages are functions, so a `.ts` config gives them.
 */
import * as v from 'valibot'
import { isAssetUrl, isSafeCssValue, isThemeVariable } from '../../ui/custom-theme.ts'
import {
  allowedPlaceholders,
  availableLocales,
  isMessageKey,
  type MessageKey,
  type MessageOverrides,
  placeholdersOf,
} from '../../ui/messages/index.ts'
import type { PageComponents } from '../../ui/pages/index.ts'
import { type ThemeVariable, themeVariables } from '../../ui/theme.ts'
import { nonEmpty, strict, text } from './rules.ts'

const assetUrl = () =>
  v.pipe(
    text(),
    v.check(isAssetUrl, (i) => `must be an https URL or a path starting with / (given ${i.received})`),
  )

/** A BCP 47 language tag (RFC 5646 §2.1, its common shape): `de`, `pt-BR`, `zh-Hant-TW`. */
const localeTag = () =>
  v.pipe(
    text(),
    v.regex(
      /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/,
      (i) => `must be a language tag such as "de" or "pt-BR" (given ${i.received})`,
    ),
  )

const variableName = () =>
  v.pipe(
    text(),
    v.check(
      isThemeVariable,
      (i) => `is not a theme variable (given ${i.received}, allowed ${themeVariables.join(', ')})`,
    ),
  )

const cssValue = () =>
  v.pipe(
    text(),
    v.check(
      isSafeCssValue,
      (i) =>
        `must be a plain CSS colour or length (given ${i.received}; allowed letters, digits, spaces, #.,%()/+- and colour functions such as rgb() or oklch())`,
    ),
  )

/** Typed by variable name, so a `.ts` config's editor completes and checks them (the schema checks JSON). */
type Typed<T> = v.GenericSchema<T, T>

const variables = () =>
  v.record(
    variableName(),
    cssValue(),
    (i) => `must be an object of theme variables (given ${i.received})`,
  ) as unknown as Typed<Partial<Record<ThemeVariable, string>>>

const messageKey = () =>
  v.pipe(
    text(),
    v.check(
      isMessageKey,
      (i) => `is not a message key (given ${i.received}; the keys are those of ui/messages/en.ts)`,
    ),
  )

const messageText = () => v.pipe(text(), v.maxLength(2000, 'is too long (allowed at most 2000 characters)'))

/** Each override uses only the placeholders of its English text (`{client}` …). */
const messages = () =>
  v.pipe(
    v.record(
      localeTag(),
      v.record(messageKey(), messageText(), (i) => `must be an object of messages (given ${i.received})`),
      (i) => `must be an object of languages (given ${i.received})`,
    ),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return
      for (const [locale, entries] of Object.entries(dataset.value)) {
        for (const [key, value] of Object.entries(entries)) {
          const allowed = isMessageKey(key) ? allowedPlaceholders(key) : []
          const unknown = placeholdersOf(value).filter((name) => !allowed.includes(name))
          if (unknown.length === 0) continue
          addIssue({
            message: `uses unknown placeholder {${unknown[0]}} (allowed ${allowed.length ? allowed.map((n) => `{${n}}`).join(', ') : 'none'})`,
            path: [
              { type: 'object', origin: 'value', input: dataset.value, key: locale, value: entries },
              { type: 'object', origin: 'value', input: entries, key, value },
            ] as unknown as [v.ObjectPathItem],
          })
        }
      }
    }),
  ) as unknown as Typed<Record<string, Partial<Record<MessageKey, string>>>>

function page<K extends keyof PageComponents>() {
  return v.optional(
    v.custom<PageComponents[K]>(
      (value) => typeof value === 'function',
      (i) => `must be a hono/jsx component (given ${i.received}; a .ts config can give one, JSON cannot)`,
    ),
  )
}

const uiObject = strict({
  theme: v.optional(
    strict({
      /** The wordmark and the `<title>` suffix. */
      productName: v.optional(
        v.pipe(nonEmpty(), v.maxLength(80, 'is too long (allowed at most 80 characters)')),
      ),
      logoUrl: v.optional(assetUrl()),
      /** The logo for the dark colour scheme; with `logoUrl` only. */
      darkLogoUrl: v.optional(assetUrl()),
      /** Custom property values for both colour schemes, without their `--`. */
      colors: v.optional(variables()),
      /** Values for the dark scheme only, over `colors`. */
      darkColors: v.optional(variables()),
      /** Linked after the built-in sheet; its origin is added to the pages' CSP `style-src`. */
      stylesheetUrl: v.optional(assetUrl()),
    }),
    {},
  ),
  defaultLocale: v.optional(localeTag(), 'en'),
  messages: v.optional(messages(), {}),
  pages: v.optional(
    strict({
      login: page<'login'>(),
      consent: page<'consent'>(),
      device: page<'device'>(),
      error: page<'error'>(),
      logout: page<'logout'>(),
      loggedOut: page<'loggedOut'>(),
    }),
    {},
  ),
})

export const uiEntries = {
  ui: v.optional(
    v.pipe(
      uiObject,
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return
        const { defaultLocale, messages } = dataset.value
        const locales = availableLocales(messages as MessageOverrides)
        if (locales.some((locale) => locale.toLowerCase() === defaultLocale.toLowerCase())) return
        addIssue({
          message: `is not a language the pages offer (given "${defaultLocale}", allowed ${locales.join(', ')}; ui.messages adds one)`,
          path: [
            {
              type: 'object',
              origin: 'value',
              input: dataset.value,
              key: 'defaultLocale',
              value: defaultLocale,
            },
          ],
        })
      }),
    ),
    {},
  ),
}
