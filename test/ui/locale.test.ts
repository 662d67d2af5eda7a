/** Which language a page is shown in: ui_locales, then Accept-Language, then the default. */
import { describe, expect, test } from 'bun:test'
import { chooseLocale, lookup } from '../../ui/messages/locale.ts'

const offered = ['en', 'de']

describe('chooseLocale', () => {
  test('the first ui_locales tag the pages offer wins (OIDC Core §3.1.2.1)', () => {
    expect(chooseLocale({ uiLocales: 'fr de en' }, offered, 'en')).toBe('de')
    expect(chooseLocale({ uiLocales: 'en de' }, offered, 'de')).toBe('en')
  })

  test('ui_locales wins over Accept-Language; unsupported ui_locales fall through to it', () => {
    expect(chooseLocale({ uiLocales: 'de', acceptLanguage: 'en' }, offered, 'en')).toBe('de')
    expect(chooseLocale({ uiLocales: 'fr ja', acceptLanguage: 'de' }, offered, 'en')).toBe('de')
  })

  test('Accept-Language by quality, not by order; q=0 means not acceptable', () => {
    expect(chooseLocale({ acceptLanguage: 'en;q=0.4, de;q=0.9' }, offered, 'en')).toBe('de')
    expect(chooseLocale({ acceptLanguage: 'de;q=0, fr' }, offered, 'en')).toBe('en')
    expect(chooseLocale({ acceptLanguage: 'fr-CA, fr;q=0.9, de-AT;q=0.8, en;q=0.7' }, offered, 'en')).toBe(
      'de',
    )
  })

  test('a wildcard or nothing usable gives the default', () => {
    expect(chooseLocale({ acceptLanguage: '*' }, offered, 'de')).toBe('de')
    expect(chooseLocale({}, offered, 'de')).toBe('de')
    expect(chooseLocale({ uiLocales: '  ', acceptLanguage: ';;,=' }, offered, 'en')).toBe('en')
  })
})

describe('lookup (RFC 4647 §3.4)', () => {
  test('drops subtags from the end until one matches, case-insensitively', () => {
    expect(lookup('de-CH-1996', offered)).toBe('de')
    expect(lookup('DE', offered)).toBe('de')
    expect(lookup('pt-BR', ['pt-br', 'pt'])).toBe('pt-br')
    expect(lookup('pt-PT', ['pt-br', 'pt'])).toBe('pt')
  })

  test('a single-letter subtag goes with the one after it', () => {
    expect(lookup('zh-Hant-CN-x-private1', ['zh-Hant-CN'])).toBe('zh-Hant-CN')
  })

  test('a tag the pages do not offer matches nothing, and never by prefix of another', () => {
    expect(lookup('fr', offered)).toBeUndefined()
    expect(lookup('d', offered)).toBeUndefined()
  })
})
