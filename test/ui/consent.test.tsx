/** @jsxImportSource hono/jsx */
import { describe, expect, test } from 'bun:test'
import { ConsentPage, type ConsentPageProps, type ScopeChoice } from '../../ui/pages/consent.tsx'
import { findAll, findOne, HOSTILE, submittedFields } from './fixtures/html.ts'

const openid: ScopeChoice = {
  name: 'openid',
  displayName: 'Your user identifier',
  required: true,
  checked: true,
}
const email: ScopeChoice = {
  name: 'email',
  displayName: 'Your email address',
  description: 'Email and whether it is verified',
  required: false,
  checked: true,
}
const api: ScopeChoice = { name: 'api1', displayName: 'API 1', required: false, checked: false }

const base: ConsentPageProps = {
  action: '/consent',
  returnUrl: '/authorize/callback?id=1',
  antiForgery: 'af-token',
  client: { name: 'Acme Books' },
  identityScopes: [openid, email],
  apiScopes: [api],
  allowRemember: true,
}

async function render(props: Partial<ConsentPageProps> = {}): Promise<string> {
  return (await (<ConsentPage {...base} {...props} />).toString()) as string
}

describe('ConsentPage', () => {
  test('Allow posts the hidden fields, the checked scopes and the decision', async () => {
    const html = await render()
    expect((await findOne(html, 'form')).attrs).toMatchObject({ method: 'post', action: '/consent' })
    expect(await submittedFields(html, { name: 'decision', value: 'allow' })).toEqual([
      ['returnUrl', '/authorize/callback?id=1'],
      ['antiForgery', 'af-token'],
      ['scope', 'openid'],
      ['scope', 'email'],
      ['decision', 'allow'],
    ])
  })

  test('a required scope is checked and disabled, and still posted through a hidden field', async () => {
    const html = await render()
    const box = await findOne(html, 'input[type=checkbox][value=openid]')
    expect(box.attrs).toMatchObject({ name: 'scope', checked: '', disabled: '' })
    const hidden = await findOne(html, 'input[type=hidden][name=scope]')
    expect(hidden.attrs.value).toBe('openid')
  })

  test('optional scopes are checkboxes that follow `checked`', async () => {
    const html = await render()
    expect((await findOne(html, 'input[value=email]')).attrs).not.toHaveProperty('disabled')
    expect((await findOne(html, 'input[value=email]')).attrs).toHaveProperty('checked')
    expect((await findOne(html, 'input[value=api1]')).attrs).not.toHaveProperty('checked')
  })

  test('Allow is primary, Deny secondary, both submit `decision`', async () => {
    const buttons = await findAll(await render(), 'form button[type=submit]')
    expect(buttons.map((b) => [b.attrs.name, b.attrs.value, b.text.trim()])).toEqual([
      ['decision', 'allow', 'Allow'],
      ['decision', 'deny', 'Deny'],
    ])
    expect(buttons[0]!.attrs.class).toContain('button-primary')
    expect(buttons[1]!.attrs.class).toContain('button-secondary')
  })

  test('scopes are grouped under legends; an empty group is left out', async () => {
    const legends = async (html: string) => (await findAll(html, 'fieldset legend')).map((l) => l.text)
    expect(await legends(await render())).toEqual(['Personal information', 'Application access'])
    expect(await legends(await render({ apiScopes: [] }))).toEqual(['Personal information'])
  })

  test('"Remember my decision" only when allowed', async () => {
    const remember = await findOne(await render(), 'input[name=remember]')
    expect(remember.attrs).toMatchObject({ type: 'checkbox', value: 'on' })
    expect(await findAll(await render({ allowRemember: false }), 'input[name=remember]')).toEqual([])
  })

  test('descriptions describe their checkbox', async () => {
    const html = await render()
    const box = await findOne(html, 'input[value=email]')
    const description = await findOne(html, `#${box.attrs['aria-describedby']}`)
    expect(description.text).toBe('Email and whether it is verified')
  })

  test('an https logo is shown with alt text; the client link opens without opener or referrer', async () => {
    const html = await render({
      client: { name: 'Acme Books', uri: 'https://books.example', logoUri: 'https://books.example/l.png' },
    })
    expect((await findOne(html, 'img')).attrs).toMatchObject({
      src: 'https://books.example/l.png',
      alt: 'Acme Books logo',
    })
    expect((await findOne(html, 'a')).attrs).toMatchObject({
      href: 'https://books.example',
      rel: 'noopener noreferrer',
    })
  })

  test('a logo or link that is not http(s) never renders', async () => {
    for (const bad of ['javascript:alert(1)', 'data:image/svg+xml,<svg onload=alert(1)>', 'not a url']) {
      const html = await render({ client: { name: 'Acme', uri: bad, logoUri: bad } })
      expect(await findAll(html, 'img')).toEqual([])
      expect(await findAll(html, 'a')).toEqual([])
    }
    // A logo over plain http would be mixed content on an https sign-in page.
    const http = await render({ client: { name: 'Acme', logoUri: 'http://books.example/l.png' } })
    expect(await findAll(http, 'img')).toEqual([])
  })

  test('hostile client and scope values are escaped, never markup', async () => {
    const hostile: ScopeChoice = {
      name: HOSTILE,
      displayName: HOSTILE,
      description: HOSTILE,
      required: true,
      checked: true,
    }
    const html = await render({
      returnUrl: HOSTILE,
      client: { name: HOSTILE, uri: `https://x.example/${HOSTILE}` },
      identityScopes: [hostile],
      apiScopes: [],
    })
    expect(html).not.toContain('<script')
    expect((await findOne(html, 'h1')).text).toBe(HOSTILE)
    expect((await findOne(html, 'input[type=hidden][name=scope]')).attrs.value).toBe(HOSTILE)
    expect(await submittedFields(html)).toContainEqual(['returnUrl', HOSTILE])
  })

  test('the style carries the nonce; the page has no script', async () => {
    const html = await render({ nonce: 'bm9uY2U=' })
    expect((await findOne(html, 'style')).attrs.nonce).toBe('bm9uY2U=')
    expect(await findAll(html, 'script')).toEqual([])
  })
})
