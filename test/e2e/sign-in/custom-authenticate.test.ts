/**
 * A team's own credential check (`authenticate` in a .ts config) replaces the user store: its
 * users sign in, their claims reach the ID Token and userinfo through the session, and the
 * context it is called with names the issuer and the client address.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { LoginContext } from '../../../core/protocol/login/credential-check.ts'
import { discover, exchange, oidc, signInThroughPages, startSignIn } from './flow.ts'
import { rp, users } from './seed.ts'
import { type SignInServer, startSignInServer } from './server.ts'

let server: SignInServer
const calls: LoginContext[] = []
beforeAll(async () => {
  server = await startSignInServer({
    config: {
      async authenticate(username: string, password: string, context: LoginContext) {
        calls.push(context)
        if (username !== 'ext.user' || password !== 'external-pass-123') return null
        return {
          subjectId: 'ext-1',
          displayName: 'External',
          amr: ['pwd', 'mfa'],
          claims: { name: 'External User', email: 'ext@corp.test' },
        }
      },
    },
  })
}, 30_000)
afterAll(() => server.close())

test("the team's check signs its user in; claims come from what it returned", async () => {
  const config = await discover(server.issuer, rp.auto)
  const started = await startSignIn(config, rp.auto, { scope: 'openid profile email' })
  const back = await signInThroughPages(started, { username: 'ext.user', password: 'external-pass-123' })
  const tokens = await exchange(config, started, back.url)
  expect(tokens.claims()).toMatchObject({
    sub: 'ext-1',
    amr: ['pwd', 'mfa'],
    name: 'External User',
    email: 'ext@corp.test',
  })
  const info = await oidc.fetchUserInfo(config, tokens.access_token, 'ext-1')
  expect(info).toMatchObject({ sub: 'ext-1', name: 'External User', email: 'ext@corp.test' })
  expect(calls.at(-1)).toMatchObject({
    issuer: server.issuer,
    clientId: rp.auto.clientId,
    remoteAddress: '127.0.0.1',
  })
})

test('the user store no longer signs anyone in', async () => {
  const config = await discover(server.issuer, rp.auto)
  const started = await startSignIn(config, rp.auto)
  const page = await signInThroughPages(started, users.alice)
  expect(page.status).toBe(401)
})
