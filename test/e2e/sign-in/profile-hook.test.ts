/**
 * A host's own source of user claims (`profile` in a .ts config, IdentityServer's
 * IProfileService): consulted with the granted scopes whenever Portico needs the user's claims,
 * so ID Tokens and userinfo carry the host's current values, and a null answer ends the user's
 * access like a disabled account.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { ProfileContext } from '../../../core/protocol/user-profile.ts'
import { basic } from '../http.ts'
import { discover, exchange, oidc, signInThroughPages, startSignIn } from './flow.ts'
import { addOfflineClients, offline } from './offline-clients.ts'
import { users } from './seed.ts'
import { type SignInServer, startSignInServer } from './server.ts'

let server: SignInServer
const calls: { subjectId: string; scopes: readonly string[]; context: ProfileContext }[] = []
let email = 'alice@first.test'
let active = true

beforeAll(async () => {
  server = await startSignInServer({
    config: {
      async profile(subjectId: string, scopes: readonly string[], context: ProfileContext) {
        calls.push({ subjectId, scopes, context })
        if (!active) return null
        return { ...context.claims, email, email_verified: true }
      },
    },
  })
  await addOfflineClients(server)
}, 30_000)
afterAll(() => server.close())

async function signIn() {
  const config = await discover(server.issuer, offline.rotating)
  const started = await startSignIn(config, offline.rotating, {
    scope: 'openid profile email offline_access',
    prompt: 'consent',
  })
  const back = await signInThroughPages(started, users.alice)
  return { config, tokens: await exchange(config, started, back.url) }
}

function refresh(refreshToken: string) {
  return fetch(`${server.issuer}/connect/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(offline.rotating.clientId, offline.rotating.secret),
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  })
}

test("the host's profile supplies claims with the granted scopes, fresh on every use", async () => {
  email = 'alice@first.test'
  active = true
  calls.length = 0
  const { config, tokens } = await signIn()
  const sub = tokens.claims()!.sub
  const first = await oidc.fetchUserInfo(config, tokens.access_token, sub)
  expect(first.email).toBe('alice@first.test')

  email = 'alice@second.test'
  const second = await oidc.fetchUserInfo(config, tokens.access_token, sub)
  expect(second.email).toBe('alice@second.test')

  const callers = calls.map((call) => call.context.caller)
  expect(callers).toContain('authorize')
  expect(callers).toContain('token')
  expect(callers.filter((caller) => caller === 'userinfo')).toHaveLength(2)
  const atToken = calls.find((call) => call.context.caller === 'token')!
  expect(atToken.subjectId).toBe(sub)
  expect([...atToken.scopes].sort()).toEqual(['email', 'offline_access', 'openid', 'profile'])
  expect(atToken.context.clientId).toBe(offline.rotating.clientId)
  // The store user's own claims are handed over for the host to extend.
  expect(atToken.context.claims.name).toBe('Alice <script>alert(1)</script>')
})

test('a null profile ends access: userinfo refuses the token and refresh refuses the grant', async () => {
  active = true
  const { tokens } = await signIn()
  active = false
  const userinfo = await fetch(`${server.issuer}/connect/userinfo`, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  })
  expect(userinfo.status).toBe(401)
  expect(userinfo.headers.get('www-authenticate')).toContain('invalid_token')

  const refused = await refresh(tokens.refresh_token!)
  expect(refused.status).toBe(400)
  expect(((await refused.json()) as { error: string }).error).toBe('invalid_grant')

  // The family was revoked (as for a disabled user): reactivating does not revive the token.
  active = true
  const after = await refresh(tokens.refresh_token!)
  expect(after.status).toBe(400)
})

test('a user with an active profile signs in again after being refused', async () => {
  active = true
  const { tokens } = await signIn()
  expect(tokens.claims()?.sub).toBeString()
})
