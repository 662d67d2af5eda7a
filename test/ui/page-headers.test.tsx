/** @jsxImportSource hono/jsx */
import { describe, expect, test } from 'bun:test'
import { Hono } from 'hono'
import { silentLogger } from '../../core/logger.ts'
import type { PorticoEnv } from '../../server/app.ts'
import { errorResponse, notFoundResponse } from '../../server/middleware/error-response.tsx'
import { allowFrames, pageHeaders } from '../../server/middleware/page-headers.ts'
import { LoginPage } from '../../ui/pages/login.tsx'
import { findOne } from './fixtures/html.ts'

function pageApp() {
  const app = new Hono<PorticoEnv>()
  app.onError(errorResponse(silentLogger))
  app.notFound(notFoundResponse)
  app.get('/login', pageHeaders(), (c) =>
    c.html(<LoginPage action="/login" returnUrl="/r" antiForgery="af" nonce={c.get('cspNonce')} />),
  )
  app.get('/fails', pageHeaders(), () => {
    throw new Error('boom')
  })
  app.get('/fails-bare', () => {
    throw new Error('boom')
  })
  return app
}

const html = { headers: { accept: 'text/html' } }

function nonceOf(response: Response): string {
  const match = /style-src 'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')
  if (!match) throw new Error('no style nonce in the CSP')
  return match[1]!
}

describe('pageHeaders()', () => {
  test('sets the CSP with the page nonce and the framing, referrer, caching and sniffing headers', async () => {
    const response = await pageApp().request('/login', html)
    const nonce = nonceOf(response)
    expect(response.headers.get('content-security-policy')).toBe(
      `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src https: data:; base-uri 'none'; frame-ancestors 'none'`,
    )
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('pragma')).toBe('no-cache')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    // The page's inline style is the one the policy allows.
    expect((await findOne(await response.text(), 'style')).attrs.nonce).toBe(nonce)
  })

  test('the nonce is 128 random bits, new for every response', async () => {
    const app = pageApp()
    const nonces = new Set<string>()
    for (let i = 0; i < 20; i++) nonces.add(nonceOf(await app.request('/login', html)))
    expect(nonces.size).toBe(20)
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64').length).toBe(16)
  })

  test('allowFrames: frame-src for exactly the http(s) origins given, once each; nothing else changes', async () => {
    const app = new Hono<PorticoEnv>()
    app.get('/signed-out', pageHeaders(), (c) => {
      allowFrames(c, [
        'https://rp.example.test/fc?iss=x&sid=y',
        'https://rp.example.test/other',
        'http://127.0.0.1:8080/fc',
        'javascript:alert(1)',
        'data:text/html,hi',
        'not a url',
      ])
      return c.html('<p>signed out</p>')
    })
    const response = await app.request('/signed-out', html)
    const nonce = nonceOf(response)
    expect(response.headers.get('content-security-policy')).toBe(
      `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src https: data:; base-uri 'none'; frame-ancestors 'none'; frame-src https://rp.example.test http://127.0.0.1:8080`,
    )
    expect(response.headers.get('x-frame-options')).toBe('DENY')
  })

  test('no form-action: it would block the redirect back to the client after a form POST', async () => {
    const response = await pageApp().request('/login', html)
    expect(response.headers.get('content-security-policy')).not.toContain('form-action')
  })
})

describe('HTML error pages', () => {
  test('a failing page route answers with the error page under the same headers and nonce', async () => {
    const response = await pageApp().request('/fails', html)
    expect(response.status).toBe(500)
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect((await findOne(await response.text(), 'style')).attrs.nonce).toBe(nonceOf(response))
  })

  test('a failing route without pageHeaders() still sends the page headers', async () => {
    const response = await pageApp().request('/fails-bare', html)
    expect(response.status).toBe(500)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect((await findOne(await response.text(), 'style')).attrs.nonce).toBe(nonceOf(response))
  })

  test('the 404 page sends them too; JSON answers do not change', async () => {
    const page = await pageApp().request('/nowhere', html)
    expect(page.status).toBe(404)
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect((await findOne(await page.text(), 'style')).attrs.nonce).toBe(nonceOf(page))
    const json = await pageApp().request('/nowhere')
    expect(json.headers.get('content-security-policy')).toBeNull()
    expect(await json.json()).toEqual({ error: 'not_found' })
  })
})
