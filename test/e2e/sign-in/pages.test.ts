/**
 * The login and consent pages as a hostile world uses them: wrong, unknown and disabled users
 * alike, the throttle, escaping of everything reflected, forged and cross-browser form posts,
 * open-redirect attempts through the return URL, and every consent decision.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { discover, exchange, oidc, signInThroughPages, startSignIn } from './flow.ts'
import { rp, users } from './seed.ts'
import { type SignInServer, startSignInServer } from './server.ts'
import { type Page, readForms, UserAgent } from './user-agent.ts'

let server: SignInServer
let config: oidc.Configuration
beforeAll(async () => {
  server = await startSignInServer()
  config = await discover(server.issuer, rp.web)
}, 30_000)
afterAll(() => server.close())

async function loginPage(parameters: Record<string, string> = {}) {
  const started = await startSignIn(config, rp.web, parameters)
  const page = await started.browser.navigate(started.url.toString())
  expect(page.url).toStartWith(`${server.issuer}/account/login?returnUrl=`)
  return { started, page }
}

const field = async (page: Page, name: string) =>
  (await readForms(page.html))[0]?.fields.find((f) => f.name === name)?.value

describe('login', () => {
  test('wrong password, unknown user and disabled user get the same answer and no session', async () => {
    const answers: string[] = []
    for (const [username, password] of [
      [users.alice.username, 'wrong-password'],
      ['nobody-at-all', 'whatever-password'],
      [users.disabled.username, users.disabled.password],
    ] as const) {
      const { started, page } = await loginPage()
      const after = await started.browser.submit(page, { username, password })
      expect(after.status).toBe(401)
      expect(started.browser.cookies.has('portico.session')).toBe(false)
      answers.push(/role="alert"[^>]*>([^<]*)</.exec(after.html)?.[1] ?? '')
    }
    expect(new Set(answers).size).toBe(1)
    expect(answers[0]).toContain('incorrect')
  })

  test('the page security headers are sent with every page', async () => {
    const { page } = await loginPage()
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(page.headers.get('cache-control')).toBe('no-store')
  })

  test('user names and login hints are escaped where they are shown', async () => {
    const payload = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    const { started, page } = await loginPage({ login_hint: payload })
    expect(page.html).not.toContain('<img src=x')
    expect(await field(page, 'username')).toBe(payload)
    const after = await started.browser.submit(page, { username: payload, password: 'x' })
    expect(after.html).not.toContain('<img src=x')
    expect(after.html).not.toContain('<script>alert(2)')
    // The client's name holds markup too; it is shown as text.
    expect(page.html).toContain('Web &lt;b&gt;App&lt;/b&gt;')
  })

  test("a POST without the anti-forgery token, or with another browser's, signs nobody in", async () => {
    const { started, page } = await loginPage()
    const without = await started.browser.submit(page, { ...users.alice, antiForgery: '' })
    expect(without.status).toBe(403)
    const other = await loginPage()
    const foreignToken = (await field(other.page, 'antiForgery'))!
    const crossed = await started.browser.submit(page, { ...users.alice, antiForgery: foreignToken })
    expect(crossed.status).toBe(403)
    expect(started.browser.cookies.has('portico.session')).toBe(false)
  })

  test('a cross-site POST is refused before anything is checked', async () => {
    const { started, page } = await loginPage()
    const form = (await readForms(page.html))[0]!
    const body = new URLSearchParams(form.fields.map((f): [string, string] => [f.name, f.value]))
    body.set('username', users.alice.username)
    body.set('password', users.alice.password)
    const response = await started.browser.request(`${server.issuer}/account/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
        origin: 'https://evil.example',
      },
      body,
    })
    expect(response.status).toBe(403)
    expect(started.browser.cookies.has('portico.session')).toBe(false)
  })

  const openRedirects = [
    'https://evil.example/',
    '//evil.example/connect/authorize/callback?r=x',
    '/\\evil.example/connect/authorize/callback?r=x',
    '/connect/authorize/callback@evil.example?r=x',
    '/connect/authorize/callback/..;/evil?r=x',
    '/connect/authorize/%2e%2e/callback?r=x',
    '/connect/authorize/../authorize/callback?r=x',
    '/CONNECT/AUTHORIZE/CALLBACK?r=x',
    '/connect/authorize/callback?r=x&next=https://evil.example',
    '/connect/authorize/callback?r=x#https://evil.example',
    'javascript:alert(1)',
    '/account/login?returnUrl=https://evil.example',
  ]
  for (const returnUrl of openRedirects) {
    test(`returnUrl ${returnUrl} leads nowhere`, async () => {
      const browser = new UserAgent()
      const get = await browser.request(
        `${server.issuer}/account/login?${new URLSearchParams({ returnUrl })}`,
      )
      expect(get.status).toBe(400)
      expect(get.headers.get('location')).toBeNull()
      // Posted with valid credentials and a valid token it still goes nowhere else.
      const { started, page } = await loginPage()
      const after = await started.browser.submit(page, { ...users.alice, returnUrl })
      expect(after.status).toBe(400)
      expect(after.url).not.toContain('evil')
    })
  }

  test('too many attempts on one account are refused with 429 and Retry-After, even with the right password', async () => {
    const target = users.bob
    let last: Page | undefined
    for (let i = 0; i < 7; i++) {
      const { started, page } = await loginPage()
      last = await started.browser.submit(page, { username: target.username, password: `wrong-${i}` })
    }
    expect(last!.status).toBe(429)
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
    const { started, page } = await loginPage()
    const right = await started.browser.submit(page, { username: target.username, password: target.password })
    expect(right.status).toBe(429)
    expect(started.browser.cookies.has('portico.session')).toBe(false)
  })
})

describe('consent', () => {
  async function toConsent(parameters: Record<string, string> = {}, browser?: UserAgent) {
    const started = await startSignIn(config, rp.web, parameters, browser)
    let page = await started.browser.navigate(started.url.toString())
    if (page.html.includes('name="password"')) page = await started.browser.submit(page, users.alice)
    return { started, page }
  }

  test('shows the client and every requested scope; openid cannot be unticked', async () => {
    const { page } = await toConsent({ scope: 'openid profile email api1' })
    expect(page.url).toStartWith(`${server.issuer}/consent?returnUrl=`)
    expect(page.html).toContain('Web &lt;b&gt;App&lt;/b&gt;')
    expect(page.html).toContain('Your email address')
    expect(page.html).toContain('API 1')
    const openid = (await readForms(page.html))[0]!.fields.filter(
      (f) => f.name === 'scope' && f.value === 'openid',
    )
    expect(openid.some((f) => f.disabled)).toBe(true)
    expect(openid.some((f) => f.type === 'hidden')).toBe(true)
  })

  test('Deny sends access_denied with state and iss', async () => {
    const { started, page } = await toConsent()
    const back = await started.browser.submit(page, {}, 'deny')
    const params = new URL(back.url).searchParams
    expect(params.get('error')).toBe('access_denied')
    expect(params.get('state')).toBe(started.state)
    expect(params.get('iss')).toBe(server.issuer)
  })

  test('an unticked scope is not granted, a scope never requested cannot be added, openid stays', async () => {
    const { started, page } = await toConsent({ scope: 'openid profile email' })
    const back = await started.browser.submit(page, { scope: ['profile', 'api1'] }, 'allow')
    const tokens = await exchange(config, started, back.url)
    expect(tokens.scope).toBe('openid profile')
    const info = await oidc.fetchUserInfo(config, tokens.access_token, users.alice.subjectId)
    expect(info.email).toBeUndefined()
    expect(info.name).toBe('Alice <script>alert(1)</script>')
  })

  test('a remembered decision skips the page until prompt=consent asks again', async () => {
    const browser = new UserAgent((url) => url.startsWith(rp.web.redirectUri))
    const first = await toConsent({ scope: 'openid email' }, browser)
    const back = await first.started.browser.submit(first.page, { remember: 'on' }, 'allow')
    expect(back.status).toBe(0)
    const second = await startSignIn(config, rp.web, { scope: 'openid email' }, browser)
    expect((await browser.navigate(second.url.toString())).status).toBe(0)
    // A wider request is asked again, and so is prompt=consent.
    const wider = await startSignIn(config, rp.web, { scope: 'openid email profile' }, browser)
    expect((await browser.navigate(wider.url.toString())).url).toContain('/consent?')
    const forced = await startSignIn(config, rp.web, { scope: 'openid email', prompt: 'consent' }, browser)
    expect((await browser.navigate(forced.url.toString())).url).toContain('/consent?')
  })

  test('prompt=none answers consent_required when consent is needed, and a code when it is not', async () => {
    const browser = new UserAgent((url) => url.startsWith(rp.web.redirectUri))
    await toConsent({}, browser)
    const none = await startSignIn(config, rp.web, { prompt: 'none', scope: 'openid phone' }, browser)
    // phone is not allowed: invalid_scope beats consent; a fresh scope set the user never allowed:
    expect(new URL((await browser.navigate(none.url.toString())).url).searchParams.get('error')).toBe(
      'invalid_scope',
    )
    const fresh = await startSignIn(config, rp.web, { prompt: 'none', scope: 'openid api1' }, browser)
    const answer = new URL((await browser.navigate(fresh.url.toString())).url).searchParams
    expect(answer.get('error')).toBe('consent_required')
  })

  test('a consent POST without the anti-forgery token grants nothing', async () => {
    const { started, page } = await toConsent()
    const forged = await started.browser.submit(page, { antiForgery: 'forged' }, 'allow')
    expect(forged.status).toBe(403)
  })
})

describe('sessions and prompts', () => {
  async function signedIn() {
    const browser = new UserAgent((url) => url.startsWith(rp.auto.redirectUri))
    const autoConfig = await discover(server.issuer, rp.auto)
    const started = await startSignIn(autoConfig, rp.auto, {}, browser)
    const back = await signInThroughPages(started, users.alice)
    const tokens = await exchange(autoConfig, started, back.url)
    return { browser, autoConfig, tokens }
  }

  test('prompt=none with a session returns a code without any page', async () => {
    const { browser, autoConfig } = await signedIn()
    const started = await startSignIn(autoConfig, rp.auto, { prompt: 'none' }, browser)
    const page = await browser.navigate(started.url.toString())
    expect(page.status).toBe(0)
    expect(new URL(page.url).searchParams.get('code')).toBeTruthy()
  })

  test('prompt=login and max_age=0 show the login page again, and a new login satisfies them', async () => {
    const { browser, autoConfig, tokens } = await signedIn()
    for (const parameters of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
      server.clock.advance(2000)
      const started = await startSignIn(autoConfig, rp.auto, parameters, browser)
      const page = await browser.navigate(started.url.toString())
      expect(page.html).toContain('name="password"')
      const back = await browser.submit(page, users.alice)
      const again = await exchange(autoConfig, started, back.url)
      expect(again.claims()!.auth_time).toBeGreaterThan(tokens.claims()!.auth_time as number)
    }
  })

  test('max_age within the session age needs no login; an expired one does', async () => {
    const { browser, autoConfig } = await signedIn()
    const within = await startSignIn(autoConfig, rp.auto, { max_age: '3600' }, browser)
    expect((await browser.navigate(within.url.toString())).status).toBe(0)
    server.clock.advance(120_000)
    const beyond = await startSignIn(autoConfig, rp.auto, { max_age: '60', prompt: 'none' }, browser)
    const answer = await browser.navigate(beyond.url.toString())
    expect(new URL(answer.url).searchParams.get('error')).toBe('login_required')
  })

  test('id_token_hint for another user asks for a login; a forged hint is invalid_request', async () => {
    const { autoConfig, tokens } = await signedIn()
    const bob = new UserAgent((url) => url.startsWith(rp.auto.redirectUri))
    const bobStart = await startSignIn(autoConfig, rp.auto, {}, bob)
    await signInThroughPages(bobStart, users.bob)
    const hinted = await startSignIn(
      autoConfig,
      rp.auto,
      { id_token_hint: tokens.id_token!, prompt: 'none' },
      bob,
    )
    expect(new URL((await bob.navigate(hinted.url.toString())).url).searchParams.get('error')).toBe(
      'login_required',
    )
    const forged = `${tokens.id_token!.slice(0, -4)}AAAA`
    const bad = await startSignIn(autoConfig, rp.auto, { id_token_hint: forged }, bob)
    expect(new URL((await bob.navigate(bad.url.toString())).url).searchParams.get('error')).toBe(
      'invalid_request',
    )
  })

  test('alwaysIncludeUserClaimsInIdToken puts the scope claims in the ID Token', async () => {
    const { tokens } = await signedIn()
    expect(tokens.claims()!.email).toBe('alice@example.test')
    expect(tokens.claims()!.name).toBe('Alice <script>alert(1)</script>')
  })

  test('the claims parameter moves a granted claim into the ID Token (OIDC Core §5.5)', async () => {
    const started = await startSignIn(config, rp.web, {
      claims: JSON.stringify({ id_token: { email: { essential: true }, phone_number: null } }),
    })
    const back = await signInThroughPages(started, users.alice)
    const tokens = await exchange(config, started, back.url)
    expect(tokens.claims()!.email).toBe('alice@example.test')
    expect(tokens.claims()!.name).toBeUndefined()
    expect(tokens.claims()!.phone_number).toBeUndefined()
  })

  test('a disabled user loses the session at the next authorization request', async () => {
    const { browser, autoConfig } = await signedIn()
    const alice = (await server.stores.configuration.users.findBySubjectId(users.alice.subjectId))!
    await server.stores.configuration.users.upsert({ ...alice, enabled: false })
    try {
      const started = await startSignIn(autoConfig, rp.auto, { prompt: 'none' }, browser)
      const answer = await browser.navigate(started.url.toString())
      expect(new URL(answer.url).searchParams.get('error')).toBe('login_required')
    } finally {
      await server.stores.configuration.users.upsert(alice)
    }
  })
})

describe('cookies', () => {
  test('on http: HttpOnly, SameSite=Lax, for the browser session only, without Secure', async () => {
    const { started, page } = await loginPage()
    const response = await started.browser.request(`${server.issuer}/account/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      body: new URLSearchParams({
        ...users.alice,
        antiForgery: (await field(page, 'antiForgery'))!,
        returnUrl: '',
      }),
    })
    const session = response.headers.getSetCookie().find((line) => line.startsWith('portico.session='))!
    expect(session).toContain('HttpOnly')
    expect(session).toContain('SameSite=Lax')
    expect(session).toContain('Path=/')
    expect(session).not.toContain('Secure')
    expect(session).not.toMatch(/Max-Age|Expires/i)
  })

  test('on https: the __Host- prefix with Secure', async () => {
    const https = await startSignInServer({ config: { issuer: 'https://id.example.test' } })
    try {
      // Reached directly on its port; every URL it emits names the https issuer.
      const direct = https.issuer
      const browser = new UserAgent()
      const page = await browser.navigate(`${direct}/account/login`)
      const antiForgery = page.headers
        .getSetCookie()
        .find((line) => line.startsWith('__Host-portico.antiforgery='))
      expect(antiForgery).toContain('Secure')
      const response = await browser.request(`${direct}/account/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
        body: new URLSearchParams({
          ...users.alice,
          antiForgery: (await field(page, 'antiForgery'))!,
          returnUrl: '',
        }),
      })
      expect(response.status).toBe(200)
      const session = response.headers
        .getSetCookie()
        .find((line) => line.startsWith('__Host-portico.session='))!
      for (const attribute of ['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/'])
        expect(session).toContain(attribute)
      expect(session).not.toContain('Domain')
    } finally {
      await https.close()
    }
  })
})

describe('browsers without Sec-Fetch-Site', () => {
  test('post the login form with Origin: null (no-referrer) and still sign in', async () => {
    const { started, page } = await loginPage()
    const form = (await readForms(page.html))[0]!
    const body = new URLSearchParams(
      form.fields.filter((f) => f.name).map((f): [string, string] => [f.name, f.value]),
    )
    body.set('username', users.alice.username)
    body.set('password', users.alice.password)
    const response = await started.browser.request(new URL(form.action, page.url).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' },
      body: body.toString(),
    })
    expect(response.status).toBe(303)
  })

  test('but a forged Origin: null post without the anti-forgery cookie is still refused', async () => {
    const { page } = await loginPage()
    const form = (await readForms(page.html))[0]!
    const body = new URLSearchParams(
      form.fields.filter((f) => f.name).map((f): [string, string] => [f.name, f.value]),
    )
    body.set('username', users.alice.username)
    body.set('password', users.alice.password)
    const response = await fetch(new URL(form.action, page.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' },
      body: body.toString(),
    })
    expect(response.status).toBe(403)
  })
})
