/** @jsxImportSource hono/jsx */
/**
 * renderPage: every replaceable page gets the same props as its default plus the page's
 * language, texts and theme, inside Portico's layout; the defaults keep one h1 and labelled
 * inputs in every language.
 */
import { describe, expect, test } from 'bun:test'
import { formFields } from '../../ui/page-props.tsx'
import { createPageUi } from '../../ui/page-ui.ts'
import { type PageName, type PagePropsByName, pageNames } from '../../ui/pages/index.ts'
import { type PageValues, renderPage } from '../../ui/render.tsx'
import { findAll, findOne } from './fixtures/html.ts'

const form = { action: '/post', ...formFields('af-token', { returnUrl: '/r' }) }
const values: { [K in PageName]: PageValues<K> } = {
  login: { ...form, returnUrl: '/r', clientName: 'Shop', error: 'Nope' },
  consent: {
    ...form,
    returnUrl: '/r',
    client: { name: 'Shop' },
    identityScopes: [{ name: 'openid', displayName: 'Id', required: true, checked: true }],
    apiScopes: [{ name: 'api1', displayName: 'API', required: false, checked: true }],
    allowRemember: true,
  },
  device: { ...form, step: 'code', userCode: 'ABCD-EFGH', error: 'Wrong' },
  error: { title: 'Kaputt', message: 'Leider', error: 'invalid_request', requestId: 'r1' },
  logout: { ...form, clientName: 'Shop' },
  loggedOut: { returnUrl: 'https://shop.example/bye', clientName: 'Shop' },
}
const titles: Record<PageName, string> = {
  login: 'Anmelden',
  consent: 'Shop autorisieren',
  device: 'Gerät verbinden',
  error: 'Kaputt',
  logout: 'Abmelden',
  loggedOut: 'Abgemeldet',
}

async function render<K extends PageName>(ui: ReturnType<typeof createPageUi>, name: K): Promise<string> {
  const context = ui.context({ nonce: 'n0', uiLocales: 'de' })
  return (await renderPage(context, name, values[name]).toString()) as string
}

describe('replaced pages', () => {
  for (const name of pageNames) {
    test(`${name}: the team's component gets its values, t, locale and theme, inside the layout`, async () => {
      const received: Partial<PagePropsByName[PageName]>[] = []
      const Replacement = (props: PagePropsByName[PageName]) => {
        received.push(props)
        return <p class="team">{props.t('login.submit')}</p>
      }
      const ui = createPageUi({ theme: { productName: 'Acme' }, pages: { [name]: Replacement } })
      const html = await render(ui, name)
      expect((await findOne(html, 'main p.team')).text).toBe('Anmelden')
      expect((await findOne(html, 'title')).text).toBe(`${titles[name]} · Acme`)
      expect((await findOne(html, 'html')).attrs.lang).toBe('de')
      expect(received).toHaveLength(1)
      expect(received[0]).toMatchObject({ ...values[name], locale: 'de', theme: { productName: 'Acme' } })
    })
  }
})

describe('default pages in German', () => {
  for (const name of pageNames) {
    test(`${name}: one h1, every input labelled, no English left in the card`, async () => {
      const html = await render(createPageUi(), name)
      expect(await findAll(html, 'h1')).toHaveLength(1)
      for (const input of await findAll(html, 'input:not([type=hidden])')) {
        const labelled =
          input.attrs['aria-label'] ||
          (await findAll(html, `label[for="${input.attrs.id}"]`)).length > 0 ||
          input.attrs.type === 'checkbox'
        expect({ input: input.attrs.name, labelled: Boolean(labelled) }).toEqual({
          input: input.attrs.name,
          labelled: true,
        })
      }
      const main = (await findOne(html, 'main')).text
      for (const english of [
        'Sign in',
        'Allow',
        'Deny',
        'Continue',
        'Sign out',
        'Return to',
        'required',
        'Request id',
      ])
        expect({ name, english, found: main.includes(english) }).toEqual({ name, english, found: false })
    })
  }

  test('errors are alerts the inputs are described by', async () => {
    for (const name of ['login', 'device'] as const) {
      const html = await render(createPageUi(), name)
      const alert = await findOne(html, '[role=alert]')
      for (const input of await findAll(html, 'input:not([type=hidden])')) {
        expect(input.attrs['aria-describedby']).toBe(alert.attrs.id!)
        expect(input.attrs['aria-invalid']).toBe('true')
      }
    }
  })
})
