/**
 * The bare reference: the least a token endpoint can do on Bun + Hono + jose. Authenticates a
 * client (Basic) from a Map and signs the same RFC 9068 claims Portico does. Portico's
 * throughput is reported as a fraction of this one's.
 *
 * bun bench/token/bare-reference.ts <port> <ES256|RS256>
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { generateKeyPair, SignJWT } from 'jose'

const port = Number(process.argv[2] ?? 4300)
const alg = process.argv[3] === 'RS256' ? 'RS256' : 'ES256'
const issuer = `http://127.0.0.1:${port}`
const { privateKey } = await generateKeyPair(alg)
const clients = new Map([['bench', 'bench-secret-0123456789']])

const app = new Hono()
app.post('/token', async (c) => {
  const params = new URLSearchParams(await c.req.text())
  const [id, secret] = Buffer.from((c.req.header('authorization') ?? '').slice(6), 'base64')
    .toString()
    .split(':')
  if (!id || clients.get(id) !== secret) return c.json({ error: 'invalid_client' }, 401)
  if (params.get('grant_type') !== 'client_credentials')
    return c.json({ error: 'unsupported_grant_type' }, 400)
  const iat = Math.floor(Date.now() / 1000)
  const scope = params.get('scope') ?? 'api1'
  const accessToken = await new SignJWT({
    iss: issuer,
    sub: id,
    aud: 'https://api.example.com',
    client_id: id,
    scope,
    iat,
    nbf: iat,
    exp: iat + 3600,
    jti: randomBytes(16).toString('base64url'),
  })
    .setProtectedHeader({ alg, kid: 'bare', typ: 'at+jwt' })
    .sign(privateKey)
  return c.json({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600, scope })
})
app.get('/healthz', (c) => c.text('ok'))

Bun.serve({ port, hostname: '127.0.0.1', fetch: app.fetch })
