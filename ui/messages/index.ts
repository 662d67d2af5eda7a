/**
 * Message catalogues: every text of every page comes from here, by key.
 *
 * How a page's language is picked (`chooseLocale`, locale.ts), first match wins:
 *   1. the authorize (or end-session) request's `ui_locales` (OIDC Core §3.1.2.1, a
 *      space-separated BCP 47 list; carried in the sealed request to the login and consent pages),
 *   2. the browser's `Accept-Language` (RFC 9110 §12.5.4, quality values honoured),
 *   3. `ui.defaultLocale` (default `en`).
 * A tag matches by RFC 4647 §3.4 lookup: `de-CH` falls back to `de`.
 *
 * Config keys (server/config/ui-schema.ts):
 *   ui.defaultLocale   a language the pages offer, `en` unless given
 *   ui.messages        `{ de: { 'login.title': '…' }, fr: { … } }`: overrides a built-in
 *                      language's texts or adds a language; keys are those of en.ts (an unknown
 *                      key is a config error), missing ones fall back to English.
 * Built in: English (en.ts, complete by definition) and German (de.ts, complete).
 */
import { de } from './de.ts'
import { en, type MessageKey, type Messages } from './en.ts'

export type { MessageKey, Messages }

/** Overrides or additions by language tag, as `ui.messages` holds them. */
export type MessageOverrides = Readonly<Record<string, Partial<Record<MessageKey, string>>>>

/** `t('login.leadClient', { client: 'Shop' })`: the text in the page's language, placeholders filled. */
export type Translate = (key: MessageKey, values?: Readonly<Record<string, string | number>>) => string

export const builtInMessages: Readonly<Record<string, Messages>> = { en, de }

export const messageKeys: ReadonlySet<string> = new Set(Object.keys(en))

export function isMessageKey(key: string): key is MessageKey {
  return messageKeys.has(key)
}

/** `{client}` names in a text, so overrides can be checked against the English placeholders. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!)
}

/** The placeholders a key's text may use (those of its English text). */
export function allowedPlaceholders(key: MessageKey): string[] {
  return placeholdersOf(en[key])
}

/** Every language the pages can be shown in: the built-in ones and those `overrides` add. */
export function availableLocales(overrides: MessageOverrides = {}): string[] {
  const locales = Object.keys(builtInMessages)
  for (const tag of Object.keys(overrides)) {
    if (!locales.some((known) => known.toLowerCase() === tag.toLowerCase())) locales.push(tag)
  }
  return locales
}

/** The complete catalogue of `locale`: English, then the built-in language, then the overrides. */
export function catalogue(locale: string, overrides: MessageOverrides = {}): Messages {
  const tag = locale.toLowerCase()
  const pick = <T>(source: Readonly<Record<string, T>>): T | undefined =>
    Object.entries(source).find(([key]) => key.toLowerCase() === tag)?.[1]
  return { ...en, ...overrides.en, ...pick(builtInMessages), ...pick(overrides) } as Messages
}

/**
 * The translate function over a catalogue. Placeholders are filled with plain strings: the page
 * renders the result as text, so hono/jsx escapes whatever a value holds.
 */
export function translator(messages: Messages): Translate {
  return function t(key, values) {
    const text = messages[key] ?? en[key]
    if (!values) return text
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(values, name) ? String(values[name]) : whole,
    )
  }
}
