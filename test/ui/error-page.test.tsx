/** @jsxImportSource hono/jsx */
import { describe, expect, test } from 'bun:test'
import { Layout } from '../../ui/layout.tsx'
import { ErrorPage } from '../../ui/pages/error.tsx'
import { findAll, findOne, HOSTILE } from './fixtures/html.ts'

describe('Layout', () => {
  test('a standards-mode page in the given language, titled, with the wordmark and footer', async () => {
    const html = (await (
      <Layout title="Sign in" lang="de" nonce="bm9uY2U=" footer={<a href="https://help.example">Help</a>}>
        <p>body</p>
      </Layout>
    ).toString()) as string
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect((await findOne(html, 'html')).attrs.lang).toBe('de')
    expect((await findOne(html, 'title')).text).toBe('Sign in · Portico')
    expect((await findOne(html, 'header')).text).toContain('Portico')
    expect((await findOne(html, 'footer')).text).toBe('Help')
    expect((await findOne(html, 'style')).attrs.nonce).toBe('bm9uY2U=')
  })

  test('loads nothing from elsewhere and runs no script', async () => {
    const html = (await (<Layout title="t">x</Layout>).toString()) as string
    expect((await findOne(html, 'html')).attrs.lang).toBe('en')
    expect(await findAll(html, 'script, img, iframe')).toEqual([])
    // The one link is an empty data: icon, so the browser fetches no /favicon.ico.
    const links = await findAll(html, 'link')
    expect(links.map((link) => link.attrs.href)).toEqual(['data:,'])
    expect(await findAll(html, 'footer')).toEqual([])
  })
})

describe('ErrorPage', () => {
  test('shows title, message, error code and request id, escaped', async () => {
    const html = (await (
      <ErrorPage title={HOSTILE} message={HOSTILE} error="invalid_request" requestId={HOSTILE} nonce="n" />
    ).toString()) as string
    expect(html).not.toContain('<script')
    expect((await findOne(html, 'h1')).text).toBe(HOSTILE)
    expect((await findOne(html, 'main')).text).toContain(HOSTILE)
    expect((await findOne(html, 'dl')).text).toContain('invalid_request')
    expect((await findOne(html, 'style')).attrs.nonce).toBe('n')
  })

  test('without a message it says the request could not be completed', async () => {
    const html = (await (<ErrorPage title="Oops" />).toString()) as string
    expect((await findOne(html, 'main')).text).toContain('The request could not be completed.')
    expect(await findAll(html, 'dl')).toEqual([])
  })
})
