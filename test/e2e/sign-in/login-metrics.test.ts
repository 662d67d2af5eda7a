/** Refused logins at the login form are counted in `portico_user_login_failures_total`. */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { discover, type oidc, startSignIn } from './flow.ts'
import { rp, users } from './seed.ts'
import { type SignInServer, startSignInServer } from './server.ts'

let server: SignInServer
let config: oidc.Configuration
beforeAll(async () => {
  server = await startSignInServer({ config: { metrics: { enabled: true } } })
  config = await discover(server.issuer, rp.web)
}, 30_000)
afterAll(() => server.close())

async function failures(): Promise<number> {
  const text = await (await fetch(`${server.issuer}/metrics`)).text()
  return Number(/^portico_user_login_failures_total (\S+)$/m.exec(text)?.[1])
}

test('each refused user name and password counts once; a good one does not count', async () => {
  expect(await failures()).toBe(0)
  for (const [username, password] of [
    [users.alice.username, 'wrong-password'],
    ['nobody-at-all', 'whatever-password'],
    [users.alice.username, users.alice.password],
  ] as const) {
    const started = await startSignIn(config, rp.web)
    const page = await started.browser.navigate(started.url.toString())
    await started.browser.submit(page, { username, password })
  }
  expect(await failures()).toBe(2)
})
