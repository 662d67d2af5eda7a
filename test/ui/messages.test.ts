/** The catalogues: German complete, overrides and added languages, safe placeholders. */
import { describe, expect, test } from 'bun:test'
import { de } from '../../ui/messages/de.ts'
import { en } from '../../ui/messages/en.ts'
import { catalogue, placeholdersOf, translator } from '../../ui/messages/index.ts'
import { createPageUi } from '../../ui/page-ui.ts'

describe('built-in catalogues', () => {
  test('German has every English key, each with the same placeholders and its own text', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort())
    for (const [key, text] of Object.entries(en)) {
      const german = de[key as keyof typeof en]
      expect({ key, placeholders: placeholdersOf(german).sort() }).toEqual({
        key,
        placeholders: placeholdersOf(text).sort(),
      })
      expect(german.trim()).not.toBe('')
    }
  })
})

describe('translator', () => {
  test('fills placeholders with the given values as plain text', () => {
    const t = translator(catalogue('de'))
    expect(t('login.leadClient', { client: 'Shop <b>' })).toBe(
      'Melden Sie sich an, um mit Shop <b> fortzufahren',
    )
    expect(t('login.error.throttled', { minutes: 5 })).toContain('5 Minuten')
  })

  test('a value that looks like a placeholder is not expanded again', () => {
    const t = translator(catalogue('en'))
    expect(t('consent.title', { client: '{client}' })).toBe('Authorize {client}')
  })
})

describe('overrides and added languages', () => {
  test('an override replaces one text; the rest of the language stays', () => {
    const messages = catalogue('de', { de: { 'login.heading': 'Hallo!' } })
    expect(messages['login.heading']).toBe('Hallo!')
    expect(messages['login.submit']).toBe(de['login.submit'])
  })

  test('an added language is offered; its missing texts fall back to English (with English overrides)', () => {
    const ui = createPageUi({
      messages: { fr: { 'login.title': 'Connexion' }, en: { 'login.submit': 'Log in' } },
    })
    expect(ui.locales).toEqual(['en', 'de', 'fr'])
    const page = ui.context({ nonce: 'n', uiLocales: 'fr-CA' })
    expect(page.locale).toBe('fr')
    expect(page.t('login.title')).toBe('Connexion')
    expect(page.t('login.submit')).toBe('Log in')
  })

  test('ui.defaultLocale is used when the request names nothing offered', () => {
    const ui = createPageUi({ defaultLocale: 'de' })
    expect(ui.context({ nonce: 'n', acceptLanguage: 'ja' }).t('login.submit')).toBe('Anmelden')
  })
})
