/**
 * The bare reference for introspecting a reference token (RFC 7662): the least an
 * introspection endpoint can do on Bun + Hono. `POST /reference` (outside the measured
 * requests) issues a random handle and keeps its claims under the SHA-256 of the handle;
 * `POST /introspect` authenticates the API (Basic) from a Map, hashes the presented token,
 * reads the claims (a Map, or one `select` from a libSQL file as Portico's libSQL store does),
 * checks expiry and answers them with `active: true`.
 *
 * `libsql-prepared:FILE` (the benchmark's default) reads the same file through the native
 * `libsql` driver with the select prepared once, as Portico's libSQL plugin does
 * (plugins/libsql/statements.ts); `libsql:FILE` through `@libsql/client`, which prepares each
 * statement anew.
 *
 * bun bench/token/bare-introspection.ts <port> <memory|libsql:FILE|libsql-prepared:FILE>
 */
import { hash, randomBytes } from 'node:crypto'
import { createClient } from '@libsql/client'
import { Hono } from 'hono'
import Database from 'libsql'

const port = Number(process.argv[2] ?? 4300)
const store = process.argv[3] ?? 'memory'
const issuer = `http://127.0.0.1:${port}`
const apis = new Map([['https://api.example.com', 'bench-api-secret-0123456789']])

interface Store {
  put(key: string, claims: string, expiresAt: number): Promise<void>
  get(key: string, now: number): Promise<string | undefined>
}

function memoryStore(): Store {
  const rows = new Map<string, { claims: string; expiresAt: number }>()
  return {
    async put(key, claims, expiresAt) {
      rows.set(key, { claims, expiresAt })
    },
    async get(key, now) {
      const row = rows.get(key)
      return row && row.expiresAt > now ? row.claims : undefined
    },
  }
}

async function libsqlStore(file: string): Promise<Store> {
  const db = createClient({ url: `file:${file}` })
  await db.execute(
    'create table if not exists grants (key text primary key, data text not null, expires_at integer not null)',
  )
  return {
    async put(key, claims, expiresAt) {
      await db.execute({ sql: 'insert into grants values (?, ?, ?)', args: [key, claims, expiresAt] })
    },
    async get(key, now) {
      const result = await db.execute({
        sql: 'select data from grants where key = ? and expires_at > ?',
        args: [key, now],
      })
      return result.rows[0]?.data as string | undefined
    },
  }
}

async function preparedLibsqlStore(file: string): Promise<Store> {
  const client = await libsqlStore(file)
  const db = new Database(file)
  const select = db.prepare('select data from grants where key = ? and expires_at > ?').raw(true)
  return {
    put: client.put,
    async get(key, now) {
      // all(), which steps to the end, so no read transaction stays open between requests.
      return (select.all(key, now) as unknown as [string][])[0]?.[0]
    },
  }
}

const grants = store.startsWith('libsql:')
  ? await libsqlStore(store.slice('libsql:'.length))
  : store.startsWith('libsql-prepared:')
    ? await preparedLibsqlStore(store.slice('libsql-prepared:'.length))
    : memoryStore()
const keyOf = (handle: string) => hash('sha256', `reference_token:${handle}`, 'base64url')

const app = new Hono()
app.post('/reference', async (c) => {
  const handle = randomBytes(32).toString('base64url')
  const iat = Math.floor(Date.now() / 1000)
  const claims = {
    iss: issuer,
    aud: 'https://api.example.com',
    client_id: 'bench-reference',
    scope: 'api1',
    iat,
    nbf: iat,
    exp: iat + 3600,
    jti: randomBytes(16).toString('base64url'),
  }
  await grants.put(keyOf(handle), JSON.stringify(claims), (iat + 3600) * 1000)
  return c.json({ access_token: handle })
})
app.post('/introspect', async (c) => {
  const [id, secret] = Buffer.from((c.req.header('authorization') ?? '').slice(6), 'base64')
    .toString()
    .split(':')
  if (!id || apis.get(decodeURIComponent(id)) !== decodeURIComponent(secret ?? '')) {
    return c.json({ error: 'invalid_client' }, 401)
  }
  const token = new URLSearchParams(await c.req.text()).get('token') ?? ''
  const found = await grants.get(keyOf(token), Date.now())
  if (!found) return c.json({ active: false })
  return c.json({ ...JSON.parse(found), active: true, token_type: 'access_token' })
})
app.get('/healthz', (c) => c.text('ok'))

Bun.serve({ port, hostname: '127.0.0.1', fetch: app.fetch })
