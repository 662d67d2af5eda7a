/** @jsxImportSource hono/jsx */
import { describe, expect, test } from 'bun:test'
import { FormPostPage } from '../../ui/pages/form-post.tsx'
import { findAll, findOne, HOSTILE, submittedFields } from './fixtures/html.ts'

async function render(fields: Record<string, string>, action = 'https://client.example/cb'): Promise<string> {
  return (await (<FormPostPage action={action} fields={fields} nonce="bm9uY2U=" />).toString()) as string
}

describe('FormPostPage (OAuth 2.0 Form Post Response Mode)', () => {
  test('posts each response parameter as a hidden field to the redirect URI', async () => {
    const html = await render({ code: 'c0de', state: 'st', iss: 'https://id.example' })
    expect((await findOne(html, 'form')).attrs).toMatchObject({
      method: 'post',
      action: 'https://client.example/cb',
    })
    expect(await submittedFields(html)).toEqual([
      ['code', 'c0de'],
      ['state', 'st'],
      ['iss', 'https://id.example'],
    ])
    for (const field of await findAll(html, 'form input')) expect(field.attrs.type).toBe('hidden')
  })

  test('values with quotes, < and & arrive unchanged and never become markup', async () => {
    const state = `a"b'c<d>&e=${HOSTILE}`
    const html = await render({ state, [HOSTILE]: 'x' }, `https://client.example/cb?a=1&b="${HOSTILE}`)
    expect(html).not.toContain('<script>alert')
    expect(await submittedFields(html)).toEqual([
      ['state', state],
      [HOSTILE, 'x'],
    ])
    expect((await findOne(html, 'form')).attrs.action).toBe(`https://client.example/cb?a=1&b="${HOSTILE}`)
  })

  test('a visible Continue button works without JavaScript', async () => {
    const html = await render({ code: 'c' })
    expect((await findOne(html, 'form button[type=submit]')).text.trim()).toBe('Continue')
    expect(await findAll(html, 'noscript')).toEqual([])
    expect((await findOne(html, 'h1')).text).toBe('Continuing to the application…')
  })

  test('the one script and the style carry the nonce; the script submits the form', async () => {
    const html = await render({ code: 'c' })
    const script = await findOne(html, 'script')
    expect(script.attrs).toEqual({ nonce: 'bm9uY2U=' })
    expect(script.text).toContain('submit')
    expect((await findOne(html, 'style')).attrs.nonce).toBe('bm9uY2U=')
  })

  test('a field named `submit` does not break the auto-submit', async () => {
    // form.submit would be that input; the script calls the prototype's method instead.
    const script = await findOne(await render({ submit: 'x' }), 'script')
    expect(script.text).toBe('HTMLFormElement.prototype.submit.call(document.forms[0])')
  })
})
