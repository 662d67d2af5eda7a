/**
 * PORTICO_KEY_SECRET: a high-entropy secret (32 random bytes), one Portico prints with
 * `keys new-secret`, and its rotation with `keys rewrap` that keeps every key.
 */
import { afterEach, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { decodeProtectedHeader } from 'jose'
import { looksLikeKeyMaterial } from '../../server/key-secret.ts'
import {
  runCli,
  runServerToExit,
  serverConfig,
  startServer,
  tempDir,
  writeConfig,
} from './fixtures/process.ts'

const dirs: { remove(): void }[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove()
})

function deployment() {
  const dir = tempDir()
  dirs.push(dir)
  const secret = 'machine-secret-0123456789'
  const file = writeConfig(
    dir.path,
    serverConfig({
      issuer: 'https://id.example.com',
      store: `file:${join(dir.path, 'portico.db')}`,
      seed: {
        apiScopes: [{ name: 'api1' }],
        apiResources: [{ name: 'https://api.example.com', scopes: ['api1'] }],
        clients: [
          {
            clientId: 'machine',
            clientSecrets: [{ value: secret }],
            allowedGrantTypes: ['client_credentials'],
            allowedScopes: ['api1'],
          },
        ],
      },
    }),
  )
  return { file, secret }
}

async function newSecret(): Promise<string> {
  const printed = await runCli(['keys', 'new-secret'])
  expect(printed.exitCode).toBe(0)
  return printed.stdout.trim()
}

/** The kids in the JWKS and the kid of a fresh access token's header. */
async function kidsOf(url: string, clientSecret: string) {
  const jwks = (await (await fetch(`${url}/.well-known/openid-configuration/jwks`)).json()) as {
    keys: { kid: string }[]
  }
  const token = await fetch(`${url}/connect/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa(`machine:${clientSecret}`)}`,
    },
    body: 'grant_type=client_credentials&scope=api1',
  })
  expect(token.status).toBe(200)
  const { access_token } = (await token.json()) as { access_token: string }
  return {
    published: jwks.keys.map((k) => k.kid).sort(),
    signedWith: decodeProtectedHeader(access_token).kid,
  }
}

test('keys new-secret prints 32 random bytes, base64url, different every time', async () => {
  const [a, b] = [await newSecret(), await newSecret()]
  expect(Buffer.from(a, 'base64url')).toHaveLength(32)
  expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
  expect(a).not.toBe(b)
})

test('random key material passes in base64 (openssl rand -base64 32), base64url or hex; passphrases do not', () => {
  const bytes = randomBytes(32)
  for (const secret of [bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')]) {
    expect(looksLikeKeyMaterial(secret)).toBe(true)
  }
  for (const passphrase of [
    'correct-horse-battery-staple-correct-horse-battery',
    'e2e-key-secret-0123456789',
    randomBytes(16).toString('base64url'),
    'a'.repeat(64),
  ]) {
    expect(looksLikeKeyMaterial(passphrase)).toBe(false)
  }
})

test('in production a passphrase is refused as PORTICO_KEY_SECRET, naming the minimum, never the value', async () => {
  const { file } = deployment()
  const passphrase = 'correct horse battery staple'
  const result = await runServerToExit(['--config', file], {
    NODE_ENV: 'production',
    PORTICO_KEY_SECRET: passphrase,
  })
  expect(result.exitCode).toBe(2)
  expect(result.stderr).toContain('32 random bytes')
  expect(result.stderr).toContain('portico keys new-secret')
  expect(result.stderr).not.toContain(passphrase)
}, 30_000)

test('keys rewrap --from-secret-stdin: the server starts with the new secret and signs with the same kids', async () => {
  const { file, secret } = deployment()
  const [oldSecret, nextSecret] = [await newSecret(), await newSecret()]
  const env = { NODE_ENV: 'production' }

  const before = await startServer(['--config', file], { ...env, PORTICO_KEY_SECRET: oldSecret })
  const kids = await kidsOf(before.url, secret)
  await before.stop()

  const rewrapped = await runCli(['keys', 'rewrap', '--from-secret-stdin', '--config', file], {
    env: { ...env, PORTICO_KEY_SECRET: nextSecret },
    stdin: `${oldSecret}\n`,
  })
  expect(rewrapped.stderr).toBe('')
  expect(rewrapped.exitCode).toBe(0)
  expect(rewrapped.stdout).toMatch(/re-encrypted \d+ key records/)
  expect(rewrapped.stdout + rewrapped.stderr).not.toContain(oldSecret)

  // Twice is harmless: records already under the new secret are left alone.
  const again = await runCli(['keys', 'rewrap', '--from-secret-stdin', '--config', file], {
    env: { ...env, PORTICO_KEY_SECRET: nextSecret },
    stdin: `${oldSecret}\n`,
  })
  expect(again.exitCode).toBe(0)
  expect(again.stdout).toContain('re-encrypted 0 key records')

  const after = await startServer(['--config', file], { ...env, PORTICO_KEY_SECRET: nextSecret })
  try {
    expect(await kidsOf(after.url, secret)).toEqual(kids)
  } finally {
    await after.stop()
  }
  const old = await runServerToExit(['--config', file], { ...env, PORTICO_KEY_SECRET: oldSecret })
  expect(old.exitCode).toBe(1)
  expect(old.stderr).toContain('cannot be decrypted')
}, 60_000)
