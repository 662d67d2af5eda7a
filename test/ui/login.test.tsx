/** @jsxImportSource hono/jsx */
import { describe, expect, test } from 'bun:test'
import { LoginPage, type LoginPageProps } from '../../ui/pages/login.tsx'
import { findAll, findOne, HOSTILE, submittedFields } from './fixtures/html.ts'

const base: LoginPageProps = {
  action: '/login',
  returnUrl: '/authorize/callback?x=1',
  antiForgery: 'af-token',
}

async function render(props: Partial<LoginPageProps> = {}): Promise<string> {
  return (await (<LoginPage {...base} {...props} />).toString()) as string
}

describe('LoginPage', () => {
  test('posts user name, password, returnUrl and antiForgery to the action', async () => {
    const html = await render()
    const form = await findOne(html, 'form')
    expect(form.attrs).toMatchObject({ method: 'post', action: '/login' })
    const username = await findOne(html, 'input[name=username]')
    expect(username.attrs).toMatchObject({ autocomplete: 'username', required: '' })
    const password = await findOne(html, 'input[name=password]')
    expect(password.attrs).toMatchObject({ type: 'password', autocomplete: 'current-password', required: '' })
    const button = await findOne(html, 'form button[type=submit]')
    expect(button.text).toBe('Sign in')
    expect(await submittedFields(html)).toEqual([
      ['returnUrl', '/authorize/callback?x=1'],
      ['antiForgery', 'af-token'],
      ['username', ''],
      ['password', ''],
    ])
  })

  test('each input has a visible label bound to it', async () => {
    const html = await render()
    const labels = await findAll(html, 'label')
    for (const name of ['username', 'password']) {
      const input = await findOne(html, `input[name=${name}]`)
      const label = labels.find((l) => l.attrs.for === input.attrs.id)
      expect(label?.text.trim()).toBeTruthy()
    }
  })

  test('without an error there is no alert and nothing is marked invalid', async () => {
    const html = await render()
    expect(await findAll(html, '[role=alert]')).toEqual([])
    expect(await findAll(html, '[aria-invalid]')).toEqual([])
    expect(await findAll(html, '[aria-describedby]')).toEqual([])
  })

  test('an error is an alert that both inputs are described by', async () => {
    const html = await render({ error: 'Invalid user name or password.' })
    const alert = await findOne(html, '[role=alert]')
    expect(alert.text).toBe('Invalid user name or password.')
    for (const name of ['username', 'password']) {
      const input = await findOne(html, `input[name=${name}]`)
      expect(input.attrs['aria-describedby']).toBe(alert.attrs.id!)
      expect(input.attrs['aria-invalid']).toBe('true')
    }
  })

  test('names the client and pre-fills the user name', async () => {
    const html = await render({ clientName: 'Acme Books', username: 'alice' })
    expect((await findOne(html, '.lead')).text).toBe('Sign in to continue to Acme Books')
    expect((await findOne(html, 'input[name=username]')).attrs.value).toBe('alice')
  })

  test('hostile values are escaped, never markup', async () => {
    const html = await render({
      returnUrl: HOSTILE,
      antiForgery: HOSTILE,
      username: HOSTILE,
      error: HOSTILE,
      clientName: HOSTILE,
    })
    expect(html).not.toContain('<script')
    expect(await submittedFields(html)).toEqual([
      ['returnUrl', HOSTILE],
      ['antiForgery', HOSTILE],
      ['username', HOSTILE],
      ['password', ''],
    ])
    expect((await findOne(html, '[role=alert]')).text).toBe(HOSTILE)
    expect((await findOne(html, '.lead')).text).toBe(`Sign in to continue to ${HOSTILE}`)
  })

  test('the style carries the nonce; the page has no script', async () => {
    const html = await render({ nonce: 'bm9uY2U=' })
    expect((await findOne(html, 'style')).attrs.nonce).toBe('bm9uY2U=')
    expect(await findAll(html, 'script')).toEqual([])
  })
})
