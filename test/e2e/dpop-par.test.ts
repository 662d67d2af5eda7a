/**
 * DPoP at the PAR endpoint (RFC 9449 §10.1) over HTTP: openid-client pushes with a DPoP proof
 * and the code is then exchanged only with a proof by that key, as if the push had named it in
 * `dpop_jkt`; a push naming another key in `dpop_jkt` or carrying an invalid proof is refused;
 * server nonces apply as at the token endpoint, and a successful push hands out the next one,
 * which the code exchange then uses without a `use_dpop_nonce` round trip (§8.2). On memory
 * and on Postgres with Redis for operational state.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { calculateJwkThumbprint, decodeJwt, exportJWK } from 'jose'
import { silentLogger } from '../../core/logger.ts'
import { parseConfig } from '../../server/config/load.ts'
import { applySeed } from '../../server/seed.ts'
import { makeProof, type ProofKey, proofKey } from '../protocol/dpop/proofs.ts'
import { discover, oidc, type RelyingParty, signInThroughPages } from './sign-in/flow.ts'
import { users } from './sign-in/seed.ts'
import { postgresRedis, type SignInServer, startSignInServer, storeSetups } from './sign-in/server.ts'
import { UserAgent } from './sign-in/user-agent.ts'

const spa = { clientId: 'dpop-par-spa', redirectUri: 'https://dpop-par-spa.example.test/cb' }
/** Must send server nonces with its proofs (requireDPoPNonce). */
const nonceSpa = { clientId: 'dpop-par-nonce', redirectUri: 'https://dpop-par-nonce.example.test/cb' }

async function addClients(server: SignInServer): Promise<void> {
  const base = {
    requireClientSecret: false,
    allowedGrantTypes: ['authorization_code'],
    allowedScopes: ['openid', 'profile', 'offline_access'],
    allowOfflineAccess: true,
  }
  const { seed } = parseConfig(
    {
      seed: {
        clients: [
          { ...base, clientId: spa.clientId, redirectUris: [spa.redirectUri] },
          {
            ...base,
            clientId: nonceSpa.clientId,
            redirectUris: [nonceSpa.redirectUri],
            requireDPoPNonce: true,
          },
        ],
      },
    },
    { baseDir: process.cwd() },
  )
  await applySeed(seed, server.stores.configuration, { logger: silentLogger })
}

/** The parameters of a code request with PKCE, state and nonce. */
async function codeRequest(client: RelyingParty, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const parameters: Record<string, string> = {
    response_type: 'code',
    redirect_uri: client.redirectUri,
    scope: 'openid profile offline_access',
    prompt: 'consent',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  }
  return { parameters, verifier, state, nonce }
}

for (const setup of [storeSetups[0]!, postgresRedis]) {
  describe(`DPoP at the PAR endpoint on ${setup.name}`, () => {
    let server: SignInServer
    beforeAll(async () => {
      server = await startSignInServer({ setup })
      await addClients(server)
    }, 30_000)
    afterAll(() => server.close())

    const parUrl = () => `${server.issuer}/connect/par`
    const now = () => Math.floor(server.clock.now() / 1000)

    /** Pushes as openid-client does with `pushKey`, signs alice in, exchanges with `exchangeKey`. */
    async function signInWithPushedProof(
      client: RelyingParty,
      keys: { pushKey: CryptoKeyPair; exchangeKey?: CryptoKeyPair },
      config?: oidc.Configuration,
    ) {
      const configuration = config ?? (await discover(server.issuer, client))
      const request = await codeRequest(client)
      const pushDPoP = oidc.getDPoPHandle(configuration, keys.pushKey)
      const url = await oidc.buildAuthorizationUrlWithPAR(configuration, request.parameters, {
        DPoP: pushDPoP,
      })
      // The authorization request names no key: only the push's proof binds the code.
      expect(url.searchParams.has('dpop_jkt')).toBe(false)
      const browser = new UserAgent((at) => at.startsWith(client.redirectUri))
      const back = await signInThroughPages({ browser, url, ...request }, users.alice)
      // The push's handle keeps the nonces it was given, as a client keeps one handle per key.
      const exchangeDPoP = keys.exchangeKey ? oidc.getDPoPHandle(configuration, keys.exchangeKey) : pushDPoP
      return oidc.authorizationCodeGrant(
        configuration,
        new URL(back.url),
        { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce },
        undefined,
        { DPoP: exchangeDPoP },
      )
    }

    /** A raw push by the public client `client` with `dpop` as its proof. */
    const push = (client: RelyingParty, body: Record<string, string>, dpop?: string) =>
      fetch(parUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(dpop ? { dpop } : {}) },
        body: new URLSearchParams({ client_id: client.clientId, ...body }),
      })
    const refusal = async (response: Response) => [
      response.status,
      ((await response.json()) as { error?: string }).error,
    ]

    test('a proof at the push binds the code: the same key exchanges it, and the tokens are bound', async () => {
      const pushKey = await oidc.randomDPoPKeyPair('ES256')
      const jkt = await calculateJwkThumbprint(await exportJWK(pushKey.publicKey))
      const tokens = await signInWithPushedProof(spa, { pushKey })
      expect(tokens.token_type).toBe('dpop')
      expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt })
    }, 30_000)

    test('the code of a push with a proof is invalid_grant when exchanged with another key', async () => {
      const pushKey = await oidc.randomDPoPKeyPair('ES256')
      const exchangeKey = await oidc.randomDPoPKeyPair('ES256')
      await expect(signInWithPushedProof(spa, { pushKey, exchangeKey })).rejects.toMatchObject({
        error: 'invalid_grant',
      })
    }, 30_000)

    test('dpop_jkt and a proof by the same key are accepted; by another key the push is invalid_request', async () => {
      const key = await proofKey()
      const jkt = await calculateJwkThumbprint(key.publicJwk)
      const { parameters } = await codeRequest(spa)
      const proof = (by: ProofKey) => makeProof(by, { htu: parUrl(), iat: now() })
      const matching = await push(spa, { ...parameters, dpop_jkt: jkt }, await proof(key))
      expect(matching.status).toBe(201)
      expect(((await matching.json()) as { request_uri?: string }).request_uri).toStartWith(
        'urn:ietf:params:oauth:request_uri:',
      )
      const mismatched = await push(spa, { ...parameters, dpop_jkt: jkt }, await proof(await proofKey()))
      expect(await refusal(mismatched)).toEqual([400, 'invalid_request'])
    })

    test('an invalid proof at the push is invalid_dpop_proof: the token endpoint as htu, GET as htm, a replay', async () => {
      const key = await proofKey()
      const { parameters } = await codeRequest(spa)
      const wrongHtu = await makeProof(key, { htu: `${server.issuer}/connect/token`, iat: now() })
      expect(await refusal(await push(spa, parameters, wrongHtu))).toEqual([400, 'invalid_dpop_proof'])
      const wrongHtm = await makeProof(key, { htm: 'GET', htu: parUrl(), iat: now() })
      expect(await refusal(await push(spa, parameters, wrongHtm))).toEqual([400, 'invalid_dpop_proof'])
      const once = await makeProof(key, { htu: parUrl(), iat: now() })
      expect((await push(spa, parameters, once)).status).toBe(201)
      expect(await refusal(await push(spa, parameters, once))).toEqual([400, 'invalid_dpop_proof'])
    })

    test('nonces with openid-client: the nonce from the push serves the code exchange, which is sent once', async () => {
      const config = await discover(server.issuer, nonceSpa)
      const sent: string[] = []
      config[oidc.customFetch] = (url, options) => {
        sent.push(new URL(url).pathname)
        return fetch(url, options)
      }
      const pushKey = await oidc.randomDPoPKeyPair('ES256')
      const tokens = await signInWithPushedProof(nonceSpa, { pushKey }, config)
      expect(tokens.token_type).toBe('dpop')
      // The push met use_dpop_nonce once; the exchange had the nonce the push was given.
      expect(sent.filter((path) => path === '/connect/par')).toHaveLength(2)
      expect(sent.filter((path) => path === '/connect/token')).toHaveLength(1)
    }, 30_000)

    // Moves the server's clock (openid-client's proofs carry the real time): the last test.
    test('nonces: use_dpop_nonce at the push, then 201 with the next nonce in DPoP-Nonce', async () => {
      const key = await proofKey()
      const { parameters } = await codeRequest(nonceSpa)
      const first = await push(nonceSpa, parameters, await makeProof(key, { htu: parUrl(), iat: now() }))
      expect(await refusal(first)).toEqual([400, 'use_dpop_nonce'])
      const nonce = first.headers.get('dpop-nonce')
      expect(nonce).toBeString()
      const retry = await push(
        nonceSpa,
        parameters,
        await makeProof(key, { htu: parUrl(), iat: now(), nonce: nonce! }),
      )
      expect(retry.status).toBe(201)
      expect(retry.headers.get('dpop-nonce')).toBe(nonce)
      // Four minutes on the nonce is still accepted (five), and the 201 hands out a renewed one
      // (each minute); four more and only the renewed one works, with no use_dpop_nonce between.
      server.clock.advance(240_000)
      const later = await push(
        nonceSpa,
        parameters,
        await makeProof(key, { htu: parUrl(), iat: now(), nonce: nonce! }),
      )
      const renewed = later.headers.get('dpop-nonce')
      expect([later.status, typeof renewed]).toEqual([201, 'string'])
      expect(renewed).not.toBe(nonce)
      server.clock.advance(240_000)
      const stale = await push(
        nonceSpa,
        parameters,
        await makeProof(key, { htu: parUrl(), iat: now(), nonce: nonce! }),
      )
      expect(await refusal(stale)).toEqual([400, 'use_dpop_nonce'])
      const fresh = await push(
        nonceSpa,
        parameters,
        await makeProof(key, { htu: parUrl(), iat: now(), nonce: renewed! }),
      )
      expect(fresh.status).toBe(201)
      // A push without a proof needs no nonce and gets none.
      const unbound = await push(nonceSpa, parameters)
      expect([unbound.status, unbound.headers.get('dpop-nonce')]).toEqual([201, null])
    })
  })
}
