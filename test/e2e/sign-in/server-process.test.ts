/**
 * Issue 10's "done when": a stock OpenID Connect relying party (openid-client) signs a user in
 * against the real server process, started as an operator starts it from a folder of their
 * own, on the default store (the embedded libSQL file), with nothing in its config but one
 * client and one user.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  type RunningServer,
  serverConfig,
  startServer,
  tempDir,
  writeConfig,
} from '../../server/fixtures/process.ts'
import { type RelyingPartyServer, startRelyingParty } from './relying-party.ts'
import { UserAgent } from './user-agent.ts'

const client = { clientId: 'web', secret: 'web-secret-0123456789abcdef' }
const alice = { username: 'alice', password: 'alice-password-1234', subjectId: '1' }

let dir: ReturnType<typeof tempDir>
let rp: RelyingPartyServer
let server: RunningServer

beforeAll(async () => {
  dir = tempDir()
  rp = startRelyingParty(client)
  const config = serverConfig({
    seed: {
      clients: [
        {
          clientId: client.clientId,
          clientSecrets: [{ value: client.secret }],
          allowedGrantTypes: ['authorization_code'],
          redirectUris: [rp.redirectUri],
          allowedScopes: ['openid', 'profile', 'email'],
          requireConsent: true,
        },
      ],
      users: [
        {
          subjectId: alice.subjectId,
          username: alice.username,
          password: alice.password,
          claims: { name: 'Alice Smith', email: 'alice@example.com', email_verified: true },
        },
      ],
    },
  })
  // No store is named: the default libSQL file, ./data/portico.db, lands in this folder.
  server = await startServer(['--config', writeConfig(dir.path, config)], {}, { cwd: dir.path })
  await rp.connect(server.url)
}, 30_000)

afterAll(async () => {
  const status = await server?.stop()
  rp?.close()
  dir?.remove()
  expect(status).toBe(0)
})

test('openid-client signs alice in against `bun run server` seeded with one client and one user', async () => {
  const browser = new UserAgent()
  // The relying party's login link leads through the authorize endpoint to the login page.
  const login = await browser.navigate(`${rp.origin}/login`)
  expect(login.status).toBe(200)
  expect(login.url.startsWith(`${server.url}/account/login?`)).toBe(true)
  const consent = await browser.submit(login, { username: alice.username, password: alice.password })
  expect(consent.status).toBe(200)
  expect(consent.url.startsWith(`${server.url}/consent?`)).toBe(true)
  // Allow: back at the relying party, which exchanged the code and called userinfo.
  const back = await browser.submit(consent, {}, 'allow')
  expect(rp.failures).toEqual([])
  expect(back.url.startsWith(`${rp.redirectUri}?`)).toBe(true)
  expect(back.status).toBe(200)
  expect(back.html).toContain('Hello, Alice Smith')

  const [signIn] = rp.signIns
  expect(signIn?.claims).toMatchObject({
    iss: server.url,
    sub: alice.subjectId,
    aud: client.clientId,
    amr: ['pwd'],
  })
  expect(signIn?.userinfo).toMatchObject({
    sub: alice.subjectId,
    name: 'Alice Smith',
    email: 'alice@example.com',
    email_verified: true,
  })
  expect(existsSync(join(dir.path, 'data', 'portico.db'))).toBe(true)
}, 30_000)
