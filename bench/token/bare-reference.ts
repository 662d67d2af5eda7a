/**
 * The bare reference: the least a token endpoint can do on Bun + Hono + jose. Authenticates a
 * client (Basic) from a Map and answers two grants as Portico does:
 * - client_credentials: signs the same RFC 9068 claims;
 * - authorization_code: consumes a code from an in-memory Map (get and delete in one turn, so
 *   atomic), checks client, redirect_uri and PKCE S256, signs an access token and an RS256
 *   id_token with at_hash. `POST /codes` mints codes for it, outside the measured requests.
 * Portico's throughput is reported as a fraction of this one's.
 *
 * bun bench/token/bare-reference.ts <port> <ES256|RS256>
 */
import { createHash, randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { generateKeyPair, SignJWT } from 'jose'

const port = Number(process.argv[2] ?? 4300)
const alg = process.argv[3] === 'RS256' ? 'RS256' : 'ES256'
const issuer = `http://127.0.0.1:${port}`
const { privateKey } = await generateKeyPair(alg)
/** OIDC Core §15.1: RS256 for id_tokens. */
const { privateKey: idTokenKey } = await generateKeyPair('RS256')
const clients = new Map([['bench', 'bench-secret-0123456789']])

interface IssuedCode {
  clientId: string
  redirectUri: string
  challenge: string
  subject: string
  nonce: string
  scope: string
}
const codes = new Map<string, IssuedCode>()

const app = new Hono()
app.post('/token', async (c) => {
  const params = new URLSearchParams(await c.req.text())
  const [id, secret] = Buffer.from((c.req.header('authorization') ?? '').slice(6), 'base64')
    .toString()
    .split(':')
  if (!id || clients.get(id) !== secret) return c.json({ error: 'invalid_client' }, 401)
  const grantType = params.get('grant_type')
  if (grantType === 'authorization_code') {
    const tokens = await exchangeCode(id, params)
    return tokens ? c.json(tokens) : c.json({ error: 'invalid_grant' }, 400)
  }
  if (grantType !== 'client_credentials') return c.json({ error: 'unsupported_grant_type' }, 400)
  const scope = params.get('scope') ?? 'api1'
  const accessToken = await signAccessToken(id, id, scope)
  return c.json({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600, scope })
})

app.post('/codes', async (c) => {
  const form = new URLSearchParams(await c.req.text())
  const issued: string[] = []
  for (let i = 0; i < Number(form.get('n') ?? 1); i++) {
    const code = randomBytes(32).toString('base64url')
    codes.set(code, {
      clientId: 'bench',
      redirectUri: form.get('redirect_uri') ?? '',
      challenge: form.get('code_challenge') ?? '',
      subject: 'bench-user',
      nonce: randomBytes(16).toString('base64url'),
      scope: form.get('scope') ?? 'openid',
    })
    issued.push(code)
  }
  return c.json(issued)
})
app.get('/healthz', (c) => c.text('ok'))

function signAccessToken(clientId: string, subject: string, scope: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000)
  return new SignJWT({
    iss: issuer,
    sub: subject,
    aud: 'https://api.example.com',
    client_id: clientId,
    scope,
    iat,
    nbf: iat,
    exp: iat + 3600,
    jti: randomBytes(16).toString('base64url'),
  })
    .setProtectedHeader({ alg, kid: 'bare', typ: 'at+jwt' })
    .sign(privateKey)
}

async function exchangeCode(clientId: string, params: URLSearchParams) {
  const presented = params.get('code') ?? ''
  const code = codes.get(presented)
  codes.delete(presented)
  if (!code || code.clientId !== clientId || code.redirectUri !== params.get('redirect_uri')) return undefined
  const verifier = params.get('code_verifier') ?? ''
  if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) return undefined
  const accessToken = await signAccessToken(clientId, code.subject, code.scope)
  const iat = Math.floor(Date.now() / 1000)
  const digest = createHash('sha256').update(accessToken).digest()
  const idToken = await new SignJWT({
    iss: issuer,
    sub: code.subject,
    aud: clientId,
    iat,
    exp: iat + 300,
    auth_time: iat,
    nonce: code.nonce,
    sid: 'bench-session',
    amr: ['pwd'],
    at_hash: digest.subarray(0, 16).toString('base64url'),
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'bare-rs', typ: 'JWT' })
    .sign(idTokenKey)
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: 3600,
    scope: code.scope,
    id_token: idToken,
  }
}

Bun.serve({ port, hostname: '127.0.0.1', fetch: app.fetch })
