/** @jsxImportSource hono/jsx */
/**
 * Through the real routes: the language a relying party asks for with `ui_locales` (OIDC Core
 * §3.1.2.1) carries through the login and consent pages; Accept-Language otherwise; a team's
 * replaced login page still carries and needs the anti-forgery token, and what it shows is escaped.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { LoginViewProps } from '../../server/embed.ts'
import { discover, type oidc, startSignIn } from '../e2e/sign-in/flow.ts'
import { rp, users } from '../e2e/sign-in/seed.ts'
import { type SignInServer, startSignInServer } from '../e2e/sign-in/server.ts'
import type { Page } from '../e2e/sign-in/user-agent.ts'
import { findAll, findOne, HOSTILE } from './fixtures/html.ts'

async function text(html: string, selector: string): Promise<string[]> {
  return (await findAll(html, selector)).map((element) => element.text.trim())
}

describe('translated pages through the routes', () => {
  let server: SignInServer
  let web: oidc.Configuration
  beforeAll(async () => {
    server = await startSignInServer()
    web = await discover(server.issuer, rp.web)
  })
  afterAll(() => server.close())

  test('discovery lists the languages ui_locales can pick (OIDC Discovery §3)', async () => {
    const document = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as {
      ui_locales_supported?: string[]
    }
    expect(document.ui_locales_supported).toEqual(['en', 'de'])
  })

  test('ui_locales=de: German login and consent pages, then back to the client', async () => {
    const started = await startSignIn(web, rp.web, { ui_locales: 'fr-CA de en' })
    const login = await started.browser.navigate(started.url.toString())
    expect(login.status).toBe(200)
    expect((await findOne(login.html, 'html')).attrs.lang).toBe('de')
    expect((await findOne(login.html, 'title')).text).toBe('Anmelden · Portico')
    expect(await text(login.html, 'label')).toEqual(['Benutzername', 'Passwort'])
    expect(await text(login.html, 'form button')).toEqual(['Anmelden'])

    // A wrong password is answered in German too: the language travels with the form.
    const refused = await started.browser.submit(login, { username: users.alice.username, password: 'wrong' })
    expect(refused.status).toBe(401)
    expect(await text(refused.html, '[role=alert]')).toEqual(['Benutzername oder Passwort ist falsch.'])

    const consent = await started.browser.submit(refused, {
      username: users.alice.username,
      password: users.alice.password,
    })
    expect(consent.status).toBe(200)
    expect((await findOne(consent.html, 'html')).attrs.lang).toBe('de')
    expect(await text(consent.html, 'legend')).toContain('Persönliche Daten')
    expect((await text(consent.html, '.scope-name'))[0]).toStartWith('Ihre Benutzerkennung')
    expect(await text(consent.html, '.badge')).toEqual(['erforderlich'])
    expect(await text(consent.html, 'form button')).toEqual(['Erlauben', 'Ablehnen'])

    const callback = await started.browser.submit(consent, {}, 'allow')
    expect(callback.status).toBe(0)
    expect(new URL(callback.url).searchParams.get('code')).toBeTruthy()
  })

  test('without ui_locales the browser’s Accept-Language picks the language; else English', async () => {
    const started = await startSignIn(web, rp.web)
    const login = await started.browser.navigate(started.url.toString())
    expect((await findOne(login.html, 'html')).attrs.lang).toBe('en')
    const german = await started.browser.request(login.url, {
      headers: { 'accept-language': 'fr;q=0.9, de-AT;q=0.8, en;q=0.5' },
    })
    const html = await german.text()
    expect((await findOne(html, 'html')).attrs.lang).toBe('de')
    expect(await text(html, 'form button')).toEqual(['Anmelden'])
  })

  test('the error page for an unknown client speaks the request’s ui_locales, else the browser’s language', async () => {
    for (const [query, acceptLanguage] of [
      ['&ui_locales=de', 'en'],
      ['', 'de-DE, en;q=0.5'],
    ]) {
      const response = await fetch(`${server.issuer}/connect/authorize?client_id=nobody${query}`, {
        headers: { accept: 'text/html', 'accept-language': acceptLanguage! },
      })
      const html = await response.text()
      expect(response.status).toBe(400)
      expect((await findOne(html, 'h1')).text).toBe('Diese Anmeldung kann nicht fortgesetzt werden')
      expect(await text(html, 'dd code')).toContain('invalid_request')
    }
  })
})

/** A team's login page: its own markup, Portico's hidden fields. */
function TeamLogin(props: LoginViewProps) {
  return (
    <section class="team-login">
      <h1>{props.t('login.heading')}</h1>
      <p class="team-client">{props.clientName}</p>
      <form method="post" action={props.action}>
        {props.hidden}
        <input name="username" value={props.username} aria-label={props.t('login.username')} />
        <input name="password" type="password" aria-label={props.t('login.password')} />
        <button type="submit">{props.t('login.submit')}</button>
      </form>
    </section>
  )
}

describe('a replaced login page', () => {
  let server: SignInServer
  let web: oidc.Configuration
  beforeAll(async () => {
    server = await startSignInServer({
      config: {
        ui: {
          pages: { login: TeamLogin },
          messages: { de: { 'login.heading': 'Willkommen bei <b>Acme</b>' } },
          theme: { productName: 'Acme ID', stylesheetUrl: 'https://cdn.acme.example/portico.css' },
        },
      },
    })
    web = await discover(server.issuer, rp.web)
  })
  afterAll(() => server.close())

  async function loginPage(
    parameters: Record<string, string> = {},
  ): Promise<{ page: Page; started: Awaited<ReturnType<typeof startSignIn>> }> {
    const started = await startSignIn(web, rp.web, parameters)
    return { page: await started.browser.navigate(started.url.toString()), started }
  }

  test('renders inside Portico’s layout, themed and translated, with the anti-forgery field', async () => {
    const { page } = await loginPage({ ui_locales: 'de' })
    expect(page.status).toBe(200)
    expect(await findAll(page.html, 'main section.team-login')).toHaveLength(1)
    expect((await findOne(page.html, 'title')).text).toBe('Anmelden · Acme ID')
    expect((await findOne(page.html, 'header')).text).toBe('AAcme ID')
    expect((await findOne(page.html, 'html')).attrs.lang).toBe('de')
    const token = await findOne(page.html, 'form input[name=antiForgery]')
    expect(token.attrs.value?.length).toBeGreaterThan(20)
    expect((await findOne(page.html, 'link[rel=stylesheet]')).attrs.href).toBe(
      'https://cdn.acme.example/portico.css',
    )
    expect(page.headers.get('content-security-policy')).toContain('https://cdn.acme.example')
  })

  test('values and overridden texts are escaped by hono/jsx, never markup', async () => {
    const { page } = await loginPage({ ui_locales: 'de', login_hint: HOSTILE })
    expect(page.html).not.toContain('<script>alert(1)')
    expect(page.html).not.toContain('<b>')
    expect((await findOne(page.html, 'h1')).text).toBe('Willkommen bei <b>Acme</b>')
    // The seeded client's name holds markup and quotes.
    expect((await findOne(page.html, '.team-client')).text).toBe('Web <b>App</b> "quoted"')
    expect((await findOne(page.html, 'input[name=username]')).attrs.value).toBe(HOSTILE)
  })

  test('Portico still enforces the anti-forgery token: a post without it is refused', async () => {
    const { page, started } = await loginPage()
    const returnUrl = (await findOne(page.html, 'input[name=returnUrl]')).attrs.value!
    const forged = await started.browser.request(`${server.issuer}/account/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      body: new URLSearchParams({
        returnUrl,
        username: users.alice.username,
        password: users.alice.password,
      }),
    })
    expect(forged.status).toBe(403)
    expect(forged.headers.getSetCookie().filter((cookie) => cookie.includes('session'))).toEqual([])

    const signedIn = await started.browser.submit(page, {
      username: users.alice.username,
      password: users.alice.password,
    })
    expect(signedIn.status).toBe(200)
    expect(await text(signedIn.html, 'form button')).toEqual(['Allow', 'Deny'])
  })
})
