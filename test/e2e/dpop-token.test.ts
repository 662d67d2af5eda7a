/**
 * DPoP at the token endpoint over HTTP (RFC 9449 §5, §6, §8): client_credentials with a proof
 * gets a DPoP-bound token (JWT and reference, introspection shows `cnf`), and every refusal a
 * client can provoke, on memory and on the Postgres and Redis plugins (replay entries and
 * nonces live in the real operational store and key ring).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { calculateJwkThumbprint, decodeJwt } from 'jose'
import { silentLogger } from '../../core/logger.ts'
import { parseConfig } from '../../server/config/load.ts'
import { applySeed } from '../../server/seed.ts'
import {
  hmacProof,
  makeProof,
  type ProofKey,
  privateKeyProof,
  proofKey,
  unsignedProof,
} from '../protocol/dpop/proofs.ts'
import { memoryBackend, postgresBackend, redisBackend } from './backends.ts'
import { basic, form, json, paths, verifyAsRelyingParty } from './http.ts'
import { api1, issuer, type PorticoUnderTest, secrets, startPortico } from './portico.ts'

const tokenUrl = `${issuer}${paths.token}`
const dpopSecret = 'dpop-secret-0123456789abcdef'

async function addDPoPClients(portico: PorticoUnderTest): Promise<void> {
  const base = {
    clientSecrets: [{ value: dpopSecret }],
    allowedGrantTypes: ['client_credentials'],
    allowedScopes: ['api1.read'],
  }
  const { seed } = parseConfig(
    {
      seed: {
        clients: [
          { ...base, clientId: 'dpop-required', requireDPoP: true },
          { ...base, clientId: 'dpop-nonce', requireDPoPNonce: true },
        ],
      },
    },
    { baseDir: process.cwd() },
  )
  await applySeed(seed, portico.stores.configuration, { logger: silentLogger })
}

for (const backend of [memoryBackend, postgresBackend, redisBackend]) {
  describe(`DPoP at the token endpoint on ${backend.name}`, () => {
    let portico: PorticoUnderTest
    let key: ProofKey
    beforeAll(async () => {
      portico = await startPortico({ backend })
      await addDPoPClients(portico)
      key = await proofKey()
    }, 30_000)
    afterAll(() => portico.close())

    const now = () => Math.floor(portico.clock.now() / 1000)
    const proof = (options: Partial<Parameters<typeof makeProof>[1]> = {}) =>
      makeProof(key, { htu: tokenUrl, iat: now(), ...options })
    const clientCredentials = (client: string, secret: string, dpop?: string | Headers) => {
      const headers: Record<string, string> = { authorization: basic(client, secret) }
      if (typeof dpop === 'string') headers.dpop = dpop
      return form(portico, paths.token, { grant_type: 'client_credentials', scope: 'api1.read' }, headers)
    }
    const expectRefusal = async (response: Response, error: string) => {
      expect(response.status).toBe(400)
      expect((await json(response)).error).toBe(error)
    }

    test('a proof gets token_type DPoP and a JWT bound to the key (cnf.jkt)', async () => {
      const response = await clientCredentials('m2m', secrets.m2m, await proof())
      expect(response.status).toBe(200)
      const body = await json(response)
      expect(body.token_type).toBe('DPoP')
      const { payload } = await verifyAsRelyingParty(portico, body.access_token as string, api1)
      expect(payload.cnf).toEqual({ jkt: await calculateJwkThumbprint(key.publicJwk) })
    })

    test('without a proof nothing changes: token_type Bearer, no cnf', async () => {
      const body = await json(await clientCredentials('m2m', secrets.m2m))
      expect(body.token_type).toBe('Bearer')
      expect(decodeJwt(body.access_token as string).cnf).toBeUndefined()
    })

    test('a bound reference token is introspected with its cnf and token_type DPoP', async () => {
      const body = await json(await clientCredentials('reference', secrets.reference, await proof()))
      expect(body.token_type).toBe('DPoP')
      const introspected = await json(
        await form(
          portico,
          paths.introspection,
          { token: body.access_token as string },
          {
            authorization: basic(api1, secrets.api1),
          },
        ),
      )
      expect(introspected.active).toBe(true)
      expect(introspected.token_type).toBe('DPoP')
      expect(introspected.cnf).toEqual({ jkt: await calculateJwkThumbprint(key.publicJwk) })
    })

    test('a proof used twice is refused the second time', async () => {
      const once = await proof()
      expect((await clientCredentials('m2m', secrets.m2m, once)).status).toBe(200)
      await expectRefusal(await clientCredentials('m2m', secrets.m2m, once), 'invalid_dpop_proof')
    })

    test('wrong htu, wrong htm and a stale or future iat are refused', async () => {
      for (const bad of [
        await proof({ htu: `${issuer}/connect/introspect` }),
        await proof({ htu: 'https://elsewhere.example.test/connect/token' }),
        await proof({ htm: 'GET' }),
        await proof({ iat: now() - 301 }),
        await proof({ iat: now() + 301 }),
      ]) {
        await expectRefusal(await clientCredentials('m2m', secrets.m2m, bad), 'invalid_dpop_proof')
      }
    })

    test('alg none, HS256 and a private key in the jwk header are refused', async () => {
      for (const bad of [
        unsignedProof(key, tokenUrl),
        await hmacProof(tokenUrl),
        await privateKeyProof(key, tokenUrl),
      ]) {
        await expectRefusal(await clientCredentials('m2m', secrets.m2m, bad), 'invalid_dpop_proof')
      }
    })

    test('two DPoP headers are refused', async () => {
      const response = await portico.app.request(tokenUrl, {
        method: 'POST',
        headers: [
          ['content-type', 'application/x-www-form-urlencoded'],
          ['authorization', basic('m2m', secrets.m2m)],
          ['dpop', await proof()],
          ['dpop', await proof()],
        ],
        body: 'grant_type=client_credentials&scope=api1.read',
      })
      await expectRefusal(response, 'invalid_dpop_proof')
    })

    test('requireDPoP: a token request without a proof is refused, with one it is bound', async () => {
      await expectRefusal(await clientCredentials('dpop-required', dpopSecret), 'invalid_dpop_proof')
      const body = await json(await clientCredentials('dpop-required', dpopSecret, await proof()))
      expect(body.token_type).toBe('DPoP')
    })

    test('requireDPoPNonce: use_dpop_nonce with a DPoP-Nonce, and the retry with it succeeds', async () => {
      const first = await clientCredentials('dpop-nonce', dpopSecret, await proof())
      await expectRefusal(first, 'use_dpop_nonce')
      const nonce = first.headers.get('dpop-nonce')
      expect(nonce).toBeString()
      const retry = await clientCredentials('dpop-nonce', dpopSecret, await proof({ nonce: nonce! }))
      expect(retry.status).toBe(200)
      expect((await json(retry)).token_type).toBe('DPoP')
      // RFC 9449 §8.2: the success answer carries the nonce for the next request.
      expect(retry.headers.get('dpop-nonce')).toBe(nonce)
      // A client without the requirement is not asked for one, and gets none.
      const unasked = await clientCredentials('m2m', secrets.m2m, await proof())
      expect([unasked.status, unasked.headers.get('dpop-nonce')]).toEqual([200, null])
    })
  })
}

describe('DPoP nonces for the whole deployment (dpop.nonces)', () => {
  let portico: PorticoUnderTest
  beforeAll(async () => {
    portico = await startPortico({ config: { dpop: { nonces: true } } })
    const { seed } = parseConfig(
      {
        seed: {
          clients: [
            {
              clientId: 'dpop-browser',
              requireClientSecret: false,
              allowedGrantTypes: ['authorization_code'],
              redirectUris: ['https://spa.example.test/cb'],
              allowedCorsOrigins: ['https://spa.example.test'],
            },
          ],
        },
      },
      { baseDir: process.cwd() },
    )
    await applySeed(seed, portico.stores.configuration, { logger: silentLogger })
  })
  afterAll(() => portico.close())

  test('every client is asked for a nonce; a forged one gets a fresh nonce', async () => {
    const key = await proofKey()
    const iat = () => Math.floor(portico.clock.now() / 1000)
    const request = async (nonce?: string) =>
      form(
        portico,
        paths.token,
        { grant_type: 'client_credentials', scope: 'api1.read' },
        {
          authorization: basic('m2m', secrets.m2m),
          dpop: await makeProof(key, { htu: tokenUrl, iat: iat(), ...(nonce ? { nonce } : {}) }),
        },
      )
    const first = await request()
    expect(first.status).toBe(400)
    expect((await json(first)).error).toBe('use_dpop_nonce')
    const forged = await request('forged-nonce')
    expect((await json(forged)).error).toBe('use_dpop_nonce')
    const nonce = forged.headers.get('dpop-nonce')!
    const retry = await request(nonce)
    expect(retry.status).toBe(200)
    expect(retry.headers.get('dpop-nonce')).toBe(nonce)
    // Four minutes on, the nonce still works (five) and the success answer brings a renewed one
    // (each minute); four more, and the renewed one works without a use_dpop_nonce round trip.
    portico.clock.advance(240_000)
    const later = await request(nonce)
    const renewed = later.headers.get('dpop-nonce')!
    expect(later.status).toBe(200)
    expect(renewed).not.toBe(nonce)
    portico.clock.advance(240_000)
    expect((await json(await request(nonce))).error).toBe('use_dpop_nonce')
    expect((await request(renewed)).status).toBe(200)
  })

  test('discovery advertises the accepted proof algorithms, never none or HMAC', async () => {
    const document = await json(await portico.app.request(`${issuer}${paths.discovery}`))
    const algs = document.dpop_signing_alg_values_supported as string[]
    expect(algs).toContain('ES256')
    expect(algs).toContain('RS256')
    expect(algs.filter((alg) => alg === 'none' || alg.startsWith('HS'))).toEqual([])
  })

  test('a browser client may send DPoP cross-origin and read DPoP-Nonce', async () => {
    const preflight = await portico.app.request(tokenUrl, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://spa.example.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, dpop',
      },
    })
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('dpop')
    const response = await form(
      portico,
      paths.token,
      { grant_type: 'client_credentials' },
      {
        origin: 'https://spa.example.test',
        authorization: basic('m2m', secrets.m2m),
        dpop: await makeProof(await proofKey(), {
          htu: tokenUrl,
          iat: Math.floor(portico.clock.now() / 1000),
        }),
      },
    )
    expect((await json(response)).error).toBe('use_dpop_nonce')
    expect(response.headers.get('access-control-expose-headers')).toContain('DPoP-Nonce')
  })
})
