/**
 * The application's rows as Portico sees them: mapped onto Portico's models, read-only, with
 * Portico's own bookkeeping (lockouts) beside them, and no Portico record able to shadow one.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { type ConfigurationStores, client, hashSecret, type PluginInstance, silentLogger } from 'portico'
import plugin from '../index.ts'
import { asTheApplication, dropAppDatabase, freshAppDatabase, type TestOptions } from './app-database.ts'

let options: TestOptions
let instance: PluginInstance
let stores: ConfigurationStores

beforeAll(async () => {
  options = await freshAppDatabase()
  instance = await plugin.create(options, {
    roles: ['configuration'],
    clock: { now: () => Date.now() },
    logger: silentLogger,
  })
  await instance.migrate!()
  stores = instance.configuration!
})
afterAll(async () => {
  await instance.close()
  await dropAppDatabase(options)
})

/** Inserts a row as the application would; returns its id as Portico's subject id. */
async function appUser(fields: { email: string | null; display_name?: string | null; disabled?: boolean }) {
  const hash = await Bun.password.hash('app-pass', { algorithm: 'argon2id', memoryCost: 1024, timeCost: 1 })
  const [row] = await asTheApplication(
    options,
    (sql, t) => sql`insert into ${t.users} (email, display_name, password_hash, disabled)
      values (${fields.email}, ${fields.display_name ?? null}, ${hash}, ${fields.disabled ?? false})
      returning id, password_hash`,
  )
  return { subjectId: String(row!.id), passwordHash: row!.password_hash as string }
}

const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}`
const hex = (secret: string) => createHash('sha256').update(secret).digest('hex')

describe('app_users', () => {
  test('a row is a user: sub from id, username from email, argon2id hash, name and email claims', async () => {
    const email = `${unique('Carol')}@App.Example`
    const { subjectId, passwordHash } = await appUser({ email, display_name: 'Carol App' })
    const expected = {
      subjectId,
      username: email,
      passwordHash,
      claims: { email, name: 'Carol App' },
      enabled: true,
      lockout: { failedCount: 0 },
    }
    expect(await stores.users.findBySubjectId(subjectId)).toEqual(expected)
    expect(await stores.users.findByUsername(email.toLowerCase())).toEqual(expected)
    expect(await stores.users.findByUsername(email.toUpperCase())).toEqual(expected)
    expect(await Bun.password.verify('app-pass', expected.passwordHash)).toBe(true)
  })

  test('disabled rows are disabled users; no display name means no name claim; no email, no user', async () => {
    const email = `${unique('dave')}@app.example`
    const disabled = await appUser({ email, disabled: true })
    const user = await stores.users.findBySubjectId(disabled.subjectId)
    expect(user?.enabled).toBe(false)
    expect(user?.claims).toEqual({ email })
    const nameless = await appUser({ email: null })
    expect(await stores.users.findBySubjectId(nameless.subjectId)).toBeUndefined()
  })

  test('upsert and remove of an application user are refused with AppOwnedError; the row is unchanged', async () => {
    const email = `${unique('erin')}@app.example`
    const { subjectId } = await appUser({ email, display_name: 'Erin' })
    const before = await stores.users.findBySubjectId(subjectId)
    const renamed = { ...before!, claims: { name: 'Mallory' } }
    await expect(stores.users.upsert(renamed)).rejects.toMatchObject({ code: 'ERR_APP_OWNED' })
    await expect(stores.users.remove(subjectId)).rejects.toThrow(
      /application's.*change the user in the application/,
    )
    expect(await stores.users.findBySubjectId(subjectId)).toEqual(before)
    // A whole-number sub is the application's id space: the application's next row would take it.
    const next = String(Number(subjectId) + 1000)
    const portico = { ...renamed, subjectId: next, username: unique('portico') }
    await expect(stores.users.upsert(portico)).rejects.toMatchObject({ code: 'ERR_APP_OWNED' })
  })

  test('setLockout on an application user is kept in the plugin schema, never in app_users', async () => {
    const { subjectId } = await appUser({ email: `${unique('frank')}@app.example` })
    const lockout = { failedCount: 5, lockedUntil: Date.now() + 60_000 }
    expect(await stores.users.setLockout(subjectId, lockout)).toBe(true)
    expect((await stores.users.findBySubjectId(subjectId))?.lockout).toEqual(lockout)
    const [row] = await asTheApplication(
      options,
      (sql) => sql`select count(*)::int as n
      from ${sql(`${options.schema}.lockouts`)} where subject_id = ${subjectId}`,
    )
    expect(row!.n).toBe(1)
    expect(await stores.users.setLockout('2000000000', lockout)).toBe(false)
  })

  test('a user Portico adds cannot take an application user’s email, in any case', async () => {
    const email = `${unique('grace')}@app.example`
    await appUser({ email })
    const portico = {
      subjectId: unique('portico'),
      username: email.toUpperCase(),
      claims: {},
      enabled: true,
      lockout: { failedCount: 0 },
    }
    await expect(stores.users.upsert(portico)).rejects.toMatchObject({ code: 'ERR_STORE_CONFLICT' })
  })

  test('two rows whose emails differ only in case sign in neither (never a guess)', async () => {
    const email = `${unique('heidi')}@app.example`
    await appUser({ email })
    await appUser({ email: email.toUpperCase() })
    expect(await stores.users.findByUsername(email)).toBeUndefined()
  })
})

describe('app_oauth_clients', () => {
  test('a row is a code-flow client: hex secret as Portico’s SharedSecret digest, redirect URIs, scopes', async () => {
    const clientId = unique('app-web')
    await asTheApplication(
      options,
      (sql, t) => sql`insert into ${t.clients} (client_id, name, secret_sha256, redirect_uris, scopes)
        values (${clientId}, 'App Web', ${hex('s3cret-value-0123456789')},
                array['https://app.example/cb'], array['openid', 'email'])`,
    )
    expect(await stores.clients.findClientById(clientId)).toEqual(
      client({
        clientId,
        clientName: 'App Web',
        clientSecrets: [{ type: 'SharedSecret', value: hashSecret('s3cret-value-0123456789') }],
        allowedGrantTypes: ['authorization_code'],
        redirectUris: ['https://app.example/cb'],
        allowedScopes: ['openid', 'email'],
      }),
    )
  })

  test('a row without a secret is a public client; a malformed digest matches no secret', async () => {
    const [publicId, brokenId] = [unique('app-spa'), unique('app-broken')]
    await asTheApplication(
      options,
      (sql, t) => sql`insert into ${t.clients} (client_id, secret_sha256)
        values (${publicId}, null), (${brokenId}, 'not-hex')`,
    )
    const spa = await stores.clients.findClientById(publicId)
    expect([spa?.requireClientSecret, spa?.clientSecrets, spa?.redirectUris]).toEqual([false, [], []])
    const broken = await stores.clients.findClientById(brokenId)
    expect([broken?.requireClientSecret, broken?.clientSecrets]).toEqual([true, []])
  })

  test('upsert and remove of an application client are refused; list merges both kinds by code point', async () => {
    const appId = unique('b-app')
    const ownId = unique('a-portico')
    await asTheApplication(options, (sql, t) => sql`insert into ${t.clients} (client_id) values (${appId})`)
    await stores.clients.upsert(client({ clientId: ownId, allowedGrantTypes: ['client_credentials'] }))
    await expect(stores.clients.upsert(client({ clientId: appId }))).rejects.toThrow(
      /app_oauth_clients.*change it in the application/,
    )
    await expect(stores.clients.remove(appId)).rejects.toMatchObject({ code: 'ERR_APP_OWNED' })
    const ids = (await stores.clients.list()).map((c) => c.clientId)
    expect(ids.filter((id) => id === appId || id === ownId)).toEqual([ownId, appId])
  })
})

test('health() names a missing application table instead of starting', async () => {
  const wrong = await plugin.create(
    { ...options, appSchema: 'no_such_schema' },
    { roles: ['configuration'], clock: { now: () => Date.now() }, logger: silentLogger },
  )
  try {
    const failure = await wrong.health().then(
      () => undefined,
      (error: Error) => error,
    )
    expect(failure).toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      cause: { message: expect.stringContaining('no_such_schema.app_users') },
    })
  } finally {
    await wrong.close()
  }
})
