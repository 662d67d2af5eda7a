/**
 * End to end: Portico with this plugin for `configuration` (memory for the other roles) signs in
 * a user who exists only in the application's `app_users`, with the argon2id password the
 * application stored, for a relying party that exists only in `app_oauth_clients`; openid-client
 * drives it as a relying party would.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import type { StorePlugin } from 'portico'
import { memoryBackend } from '../../../test/e2e/backends.ts'
import { discover, exchange, oidc, signInThroughPages, startSignIn } from '../../../test/e2e/sign-in/flow.ts'
import { type SignInServer, startSignInServer } from '../../../test/e2e/sign-in/server.ts'
import plugin from '../index.ts'
import { asTheApplication, dropAppDatabase, freshAppDatabase, type TestOptions } from './app-database.ts'

const rp = {
  clientId: 'app-web',
  secret: 'app-web-secret-0123456789abcdef',
  redirectUri: 'http://127.0.0.1:4999/app/cb',
}
const carol = { username: 'Carol@App.Example', password: 'carol-app-password-1234' }

let options: TestOptions
let server: SignInServer
let carolId: string

beforeAll(async () => {
  options = await freshAppDatabase()
  // The application's rows, written as the application writes them: Bun.password's argon2id
  // with its defaults, the client secret as hex SHA-256.
  const hash = await Bun.password.hash(carol.password, { algorithm: 'argon2id' })
  const digest = createHash('sha256').update(rp.secret).digest('hex')
  carolId = await asTheApplication(options, async (sql, t) => {
    const [row] = await sql`insert into ${t.users} (email, display_name, password_hash, disabled)
      values (${carol.username}, 'Carol App', ${hash}, false) returning id`
    await sql`insert into ${t.clients} (client_id, name, secret_sha256, redirect_uris, scopes)
      values (${rp.clientId}, 'App Web', ${digest}, array[${rp.redirectUri}], array['openid', 'profile', 'email'])`
    return String(row!.id)
  })
  server = await startSignInServer({
    setup: {
      name: 'app-users + memory',
      roles: {
        configuration: {
          name: 'app-users',
          plugin: plugin as unknown as StorePlugin<Record<string, unknown>>,
          namespace: () => ({ options: { ...options }, dispose: () => dropAppDatabase(options) }),
        },
        operational: memoryBackend,
        keys: memoryBackend,
      },
    },
    // Nothing of Portico's own but the scopes: the user and the client are the application's.
    config: { seed: { identityResources: ['openid', 'profile', 'email'] } },
  })
}, 30_000)
afterAll(() => server?.close())

test('a user only in app_users signs in with their argon2id password, at a client only in app_oauth_clients', async () => {
  const config = await discover(server.issuer, rp)
  const started = await startSignIn(config, rp)
  const callback = await signInThroughPages(started, {
    username: carol.username.toLowerCase(),
    password: carol.password,
  })
  expect(callback.url.startsWith(rp.redirectUri)).toBe(true)

  const tokens = await exchange(config, started, callback.url)
  expect(tokens.claims()).toMatchObject({ sub: carolId, aud: rp.clientId, amr: ['pwd'] })
  const info = await oidc.fetchUserInfo(config, tokens.access_token, carolId)
  expect(info).toMatchObject({ sub: carolId, name: 'Carol App', email: carol.username })

  // Neither was copied into Portico's own tables.
  const [own] = await asTheApplication(
    options,
    (sql) => sql`select (select count(*) from ${sql(`${options.schema}.users`)})::int as users,
                        (select count(*) from ${sql(`${options.schema}.records`)} where kind = 'client')::int as clients`,
  )
  expect(own).toEqual({ users: 0, clients: 0 })
}, 30_000)

test('once the application disables the row, the same password no longer signs in', async () => {
  await asTheApplication(
    options,
    (sql, t) => sql`update ${t.users} set disabled = true where id = ${carolId}`,
  )
  const config = await discover(server.issuer, rp)
  const started = await startSignIn(config, rp)
  const page = await signInThroughPages(started, carol)
  expect(page.url.startsWith(rp.redirectUri)).toBe(false)
  expect(page.html).toContain('name="password"')
}, 30_000)
