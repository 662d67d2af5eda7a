/** @jsxImportSource hono/jsx */
import { describe, expect, test } from 'bun:test'
import { LoggedOutPage } from '../../ui/pages/logged-out.tsx'
import { LogoutPage } from '../../ui/pages/logout.tsx'
import { findAll, findOne, HOSTILE, submittedFields } from './fixtures/html.ts'

const nonce = 'bm9uY2U='
const toHtml = async (page: unknown) => (await (page as { toString(): Promise<string> }).toString()) as string

describe('LogoutPage (RP-Initiated Logout §2: the user confirms)', () => {
  test('one form posting the anti-forgery token and the carried fields; names and values stay text', async () => {
    const fields = {
      client_id: 'web',
      post_logout_redirect_uri: `https://app.example/bye?x="${HOSTILE}`,
      state: HOSTILE,
    }
    const html = await toHtml(
      <LogoutPage
        action="https://id.example/account/logout"
        antiForgery="af"
        fields={fields}
        clientName={HOSTILE}
        nonce={nonce}
      />,
    )
    expect(html).not.toContain('<script>alert')
    expect((await findOne(html, 'form')).attrs).toMatchObject({
      method: 'post',
      action: 'https://id.example/account/logout',
    })
    expect(await submittedFields(html)).toEqual([...Object.entries(fields), ['antiForgery', 'af']])
    expect((await findOne(html, 'p.lead')).text).toContain(HOSTILE)
    expect((await findOne(html, 'button[type=submit]')).text.trim()).toBe('Sign out')
  })
})

describe('LoggedOutPage', () => {
  test('hidden iframes for the front-channel URLs and a link back; no script unless told to continue', async () => {
    const frames = ['https://a.example/fc?iss=https%3A%2F%2Fid&sid=1', 'https://b.example/fc']
    const returnUrl = `https://app.example/bye?state=${encodeURIComponent(HOSTILE)}`
    const html = await toHtml(
      <LoggedOutPage frames={frames} returnUrl={returnUrl} clientName="App" nonce={nonce} />,
    )
    const iframes = await findAll(html, 'iframe')
    expect(iframes.map((f) => f.attrs.src)).toEqual(frames)
    for (const frame of iframes) expect('hidden' in frame.attrs).toBe(true)
    expect((await findOne(html, 'a')).attrs.href).toBe(returnUrl)
    expect(await findAll(html, 'script')).toEqual([])

    const continuing = await toHtml(
      <LoggedOutPage frames={frames} returnUrl={returnUrl} redirect nonce={nonce} />,
    )
    const script = await findOne(continuing, 'script')
    expect(script.attrs.nonce).toBe(nonce)
    // The script follows the page's first link: that must be the way back to the client.
    expect((await findAll(continuing, 'a'))[0]!.attrs.href).toBe(returnUrl)
  })

  test('without a return URL it says the page can be closed and never scripts a redirect', async () => {
    const html = await toHtml(<LoggedOutPage frames={[]} redirect nonce={nonce} />)
    expect(await findAll(html, 'a')).toEqual([])
    expect(await findAll(html, 'script')).toEqual([])
    expect((await findOne(html, 'h1')).text).toBe('You are signed out')
  })
})
