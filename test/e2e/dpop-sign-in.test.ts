/**
 * DPoP through a whole sign-in, driven by openid-client's DPoP support (a library nobody here
 * wrote): the code exchange binds the access token and a public client's refresh token to the
 * client's key (RFC 9449 §5), userinfo takes the token only with a proof by that key (§7), and
 * server nonces are fetched and retried by the client (§8, §9); on memory and on Postgres with
 * Redis for operational state.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { calculateJwkThumbprint, decodeJwt, exportJWK } from 'jose'
import { silentLogger } from '../../core/logger.ts'
import { parseConfig } from '../../server/config/load.ts'
import { applySeed } from '../../server/seed.ts'
import { makeProof, type ProofKey, proofKey } from '../protocol/dpop/proofs.ts'
import { basic } from './http.ts'
import { discover, oidc, type RelyingParty, signInThroughPages, startSignIn } from './sign-in/flow.ts'
import { rp, users } from './sign-in/seed.ts'
import { postgresRedis, type SignInServer, startSignInServer, storeSetups } from './sign-in/server.ts'
import { UserAgent } from './sign-in/user-agent.ts'

const spa = { clientId: 'dpop-spa', redirectUri: 'https://dpop-spa.example.test/cb' }
const web = {
  clientId: 'dpop-web',
  secret: 'dpop-web-secret-0123456789abcdef',
  redirectUri: 'https://dpop-web.example.test/cb',
}

const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code'
const tv = { clientId: 'dpop-tv' }

async function addClients(server: SignInServer): Promise<void> {
  const base = {
    allowedGrantTypes: ['authorization_code'],
    allowedScopes: ['openid', 'profile', 'email', 'offline_access'],
    allowOfflineAccess: true,
  }
  const { seed } = parseConfig(
    {
      seed: {
        clients: [
          { ...base, clientId: spa.clientId, requireClientSecret: false, redirectUris: [spa.redirectUri] },
          {
            ...base,
            clientId: web.clientId,
            clientSecrets: [{ value: web.secret }],
            redirectUris: [web.redirectUri],
            accessTokenType: 'reference',
            requireDPoPNonce: true,
          },
          {
            clientId: tv.clientId,
            requireClientSecret: false,
            allowedGrantTypes: [deviceGrant],
            allowedScopes: ['openid', 'profile', 'offline_access'],
            allowOfflineAccess: true,
          },
        ],
      },
    },
    { baseDir: process.cwd() },
  )
  await applySeed(seed, server.stores.configuration, { logger: silentLogger })
}

/**
 * Signs alice in and exchanges the code with a DPoP proof, as openid-client does it. With
 * `bindCode` the authorization request names the key in `dpop_jkt` (RFC 9449 §10); with
 * `exchangeKey` another key makes the exchange's proof.
 */
async function signIn(
  server: SignInServer,
  client: RelyingParty,
  options: { bindCode?: boolean; exchangeKey?: CryptoKeyPair } = {},
) {
  const config = await discover(server.issuer, client)
  const keyPair = await oidc.randomDPoPKeyPair('ES256')
  const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey))
  const dpop = oidc.getDPoPHandle(config, options.exchangeKey ?? keyPair)
  const started = await startSignIn(config, client, {
    scope: 'openid profile offline_access',
    prompt: 'consent',
    ...(options.bindCode ? { dpop_jkt: jkt } : {}),
  })
  const back = await signInThroughPages(started, users.alice)
  const tokens = await oidc.authorizationCodeGrant(
    config,
    new URL(back.url),
    { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce },
    undefined,
    { DPoP: dpop },
  )
  return { config, dpop, tokens, jkt, keyPair }
}

/** The key of an openid-client DPoP key pair, for proofs the test makes itself. */
async function asProofKey(keyPair: CryptoKeyPair): Promise<ProofKey> {
  return { privateKey: keyPair.privateKey, publicJwk: await exportJWK(keyPair.publicKey), alg: 'ES256' }
}

for (const setup of [storeSetups[0]!, postgresRedis]) {
  describe(`DPoP sign-in on ${setup.name}`, () => {
    let server: SignInServer
    beforeAll(async () => {
      server = await startSignInServer({ setup })
      await addClients(server)
    }, 30_000)
    afterAll(() => server.close())

    const userinfoUrl = () => `${server.issuer}/connect/userinfo`
    const tokenUrl = () => `${server.issuer}/connect/token`
    const now = () => Math.floor(server.clock.now() / 1000)

    test('the code exchange binds the access token; userinfo answers with a proof by that key', async () => {
      const { config, dpop, tokens, jkt } = await signIn(server, spa)
      expect(tokens.token_type).toBe('dpop')
      expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt })
      const claims = tokens.claims()!
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub, { DPoP: dpop })
      expect(info.sub).toBe(claims.sub)
    })

    test('userinfo refuses the bound token as Bearer, with another key, or without ath', async () => {
      const { tokens } = await signIn(server, spa)
      const asBearer = await fetch(userinfoUrl(), {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      })
      expect(asBearer.status).toBe(401)
      expect(asBearer.headers.get('www-authenticate')).toStartWith('DPoP error="invalid_token"')

      const other = await proofKey()
      const byOther = await fetch(userinfoUrl(), {
        headers: {
          authorization: `DPoP ${tokens.access_token}`,
          dpop: await makeProof(other, {
            htm: 'GET',
            htu: userinfoUrl(),
            iat: now(),
            accessToken: tokens.access_token,
          }),
        },
      })
      expect(byOther.status).toBe(401)
      expect(((await byOther.json()) as { error: string }).error).toBe('invalid_token')

      const withoutProof = await fetch(userinfoUrl(), {
        headers: { authorization: `DPoP ${tokens.access_token}` },
      })
      expect(withoutProof.status).toBe(401)
      expect(withoutProof.headers.get('www-authenticate')).toContain('error="invalid_dpop_proof"')
      expect(withoutProof.headers.get('www-authenticate')).toContain('algs="ES256')
    })

    test("a public client's refresh token is bound: the same key refreshes, none or another key cannot", async () => {
      const bound = await signIn(server, spa)
      const refreshed = await oidc.refreshTokenGrant(bound.config, bound.tokens.refresh_token!, undefined, {
        DPoP: bound.dpop,
      })
      expect(refreshed.token_type).toBe('dpop')
      expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt: bound.jkt })

      const refresh = async (refreshToken: string, dpop?: string) => {
        const response = await fetch(tokenUrl(), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(dpop ? { dpop } : {}) },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: refreshToken,
            client_id: spa.clientId,
          }),
        })
        return { status: response.status, error: ((await response.json()) as { error?: string }).error }
      }
      const withoutProof = await signIn(server, spa)
      expect(await refresh(withoutProof.tokens.refresh_token!)).toEqual({
        status: 400,
        error: 'invalid_grant',
      })
      const withOtherKey = await signIn(server, spa)
      const other = await makeProof(await proofKey(), { htu: tokenUrl(), iat: now() })
      expect(await refresh(withOtherKey.tokens.refresh_token!, other)).toEqual({
        status: 400,
        error: 'invalid_grant',
      })
    })

    test('a bound refresh token presented without its key is refused unspent: the client still refreshes with it', async () => {
      const bound = await signIn(server, spa)
      const refreshToken = bound.tokens.refresh_token!
      const key = await asProofKey(bound.keyPair)
      const refresh = async (token: string, dpop?: string, clientId: string = spa.clientId) => {
        const response = await fetch(tokenUrl(), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(dpop ? { dpop } : {}) },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: token,
            client_id: clientId,
          }),
        })
        return { status: response.status, body: (await response.json()) as Record<string, string> }
      }
      // RFC 9449 §5: a thief with the token but not the key, with no proof or a proof of their
      // own, or naming another public client (which would revoke the grant as stolen).
      const byThief = await makeProof(await proofKey(), { htu: tokenUrl(), iat: now() })
      for (const attempt of [
        await refresh(refreshToken),
        await refresh(refreshToken, byThief),
        await refresh(refreshToken, undefined, tv.clientId),
      ]) {
        expect([attempt.status, attempt.body.error]).toEqual([400, 'invalid_grant'])
      }
      // The one-time token was not spent (oneTimeOnly would call its reuse a theft and revoke all).
      const rotated = await refresh(refreshToken, await makeProof(key, { htu: tokenUrl(), iat: now() }))
      expect([rotated.status, rotated.body.token_type]).toEqual([200, 'DPoP'])
      // The rotated-away token replayed without the key leaves the family alone too.
      expect((await refresh(refreshToken)).status).toBe(400)
      const next = await refresh(
        rotated.body.refresh_token!,
        await makeProof(key, { htu: tokenUrl(), iat: now() }),
      )
      expect(next.status).toBe(200)
    })

    test('userinfo answers a DPoP request lacking the openid scope with a DPoP insufficient_scope challenge', async () => {
      const key = await proofKey()
      const issued = await fetch(tokenUrl(), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(rp.machine.clientId, rp.machine.secret),
          dpop: await makeProof(key, { htu: tokenUrl(), iat: now() }),
        },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      })
      const { access_token, token_type } = (await issued.json()) as Record<string, string>
      expect(token_type).toBe('DPoP')
      const response = await fetch(userinfoUrl(), {
        headers: {
          authorization: `DPoP ${access_token}`,
          dpop: await makeProof(key, {
            htm: 'GET',
            htu: userinfoUrl(),
            iat: now(),
            accessToken: access_token,
          }),
        },
      })
      expect(response.status).toBe(403)
      const challenge = response.headers.get('www-authenticate')!
      expect(challenge).toStartWith('DPoP error="insufficient_scope"')
      expect(challenge).toContain('scope="openid"')
      expect(challenge).toContain('algs="ES256')
      // A token sent twice in the DPoP scheme is answered in that scheme too.
      const twice = await fetch(userinfoUrl(), {
        method: 'POST',
        headers: {
          authorization: `DPoP ${access_token}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ access_token: access_token! }),
      })
      expect(twice.status).toBe(400)
      expect(twice.headers.get('www-authenticate')).toStartWith('DPoP error="invalid_request"')
    })

    test('nonces: a successful token or userinfo answer carries the next DPoP-Nonce (RFC 9449 §8.2, §9)', async () => {
      const bound = await signIn(server, web)
      const key = await asProofKey(bound.keyPair)
      const token = bound.tokens.access_token
      const userinfo = async (nonce?: string) =>
        fetch(userinfoUrl(), {
          headers: {
            authorization: `DPoP ${token}`,
            dpop: await makeProof(key, {
              htm: 'GET',
              htu: userinfoUrl(),
              iat: now(),
              accessToken: token,
              ...(nonce ? { nonce } : {}),
            }),
          },
        })
      const asked = await userinfo()
      expect(asked.status).toBe(401)
      const nonce = asked.headers.get('dpop-nonce')!
      const answered = await userinfo(nonce)
      expect(answered.status).toBe(200)
      expect(answered.headers.get('dpop-nonce')).toBe(nonce)
      // The token endpoint's success answer too (a confidential client: a refresh with a proof).
      const refreshed = await fetch(tokenUrl(), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(web.clientId, web.secret),
          dpop: await makeProof(key, { htu: tokenUrl(), iat: now(), nonce }),
        },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: bound.tokens.refresh_token!,
        }),
      })
      expect(refreshed.status).toBe(200)
      expect(refreshed.headers.get('dpop-nonce')).toBe(nonce)
    })

    test('nonces: openid-client retries with the DPoP-Nonce at the token endpoint and userinfo', async () => {
      const { config, dpop, tokens, jkt } = await signIn(server, web)
      expect(tokens.token_type).toBe('dpop')
      const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub, { DPoP: dpop })
      expect(info.sub).toBe(users.alice.subjectId)
      // The reference token's binding is shown by introspection (RFC 9449 §6.2).
      const introspected = await fetch(`${server.issuer}/connect/introspect`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(web.clientId, web.secret),
        },
        body: new URLSearchParams({ token: tokens.access_token }),
      })
      const body = (await introspected.json()) as Record<string, unknown>
      expect([body.active, body.token_type, body.cnf]).toEqual([true, 'DPoP', { jkt }])
    })

    test('dpop_jkt binds the code: exchanged with that key it works, with another key it is invalid_grant', async () => {
      const bound = await signIn(server, spa, { bindCode: true })
      expect(decodeJwt(bound.tokens.access_token).cnf).toEqual({ jkt: bound.jkt })
      const otherKey = await oidc.randomDPoPKeyPair('ES256')
      const refused = signIn(server, spa, { bindCode: true, exchangeKey: otherKey })
      await expect(refused).rejects.toMatchObject({ error: 'invalid_grant' })
    })

    test('the device flow binds the access token and the public refresh token to the polling key', async () => {
      const post = (body: Record<string, string>, path = '/connect/token', dpop?: string) =>
        fetch(`${server.issuer}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(dpop ? { dpop } : {}) },
          body: new URLSearchParams(body),
        })
      const codes = (await (
        await post(
          { client_id: tv.clientId, scope: 'openid profile offline_access' },
          '/connect/deviceauthorization',
        )
      ).json()) as { device_code: string; verification_uri_complete: string }
      const browser = new UserAgent()
      let page = await browser.navigate(codes.verification_uri_complete)
      page = await browser.submit(page, {})
      if (page.html.includes('name="password"')) page = await browser.submit(page, users.alice)
      await browser.submit(page, {}, 'allow')

      const key = await proofKey()
      const jkt = await calculateJwkThumbprint(key.publicJwk)
      server.clock.advance(5_000)
      const polled = await post(
        { grant_type: deviceGrant, device_code: codes.device_code, client_id: tv.clientId },
        '/connect/token',
        await makeProof(key, { htu: tokenUrl(), iat: now() }),
      )
      const tokens = (await polled.json()) as Record<string, string>
      expect([polled.status, tokens.token_type]).toEqual([200, 'DPoP'])
      expect(decodeJwt(tokens.access_token!).cnf).toEqual({ jkt })
      const unbound = await post({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
        client_id: tv.clientId,
      })
      expect([unbound.status, ((await unbound.json()) as { error: string }).error]).toEqual([
        400,
        'invalid_grant',
      ])
    })

    test("a confidential client's refresh token is not bound (RFC 9449 §5): refreshing without DPoP gives Bearer", async () => {
      const { tokens } = await signIn(server, web)
      const response = await fetch(tokenUrl(), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(web.clientId, web.secret),
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }),
      })
      expect(response.status).toBe(200)
      expect(((await response.json()) as { token_type: string }).token_type).toBe('Bearer')
    })
  })
}

describe('DPoP across two instances on Postgres + Redis', () => {
  let server: SignInServer
  beforeAll(async () => {
    server = await startSignInServer({ setup: postgresRedis, instances: 2 })
    await addClients(server)
  }, 30_000)
  afterAll(() => server.close())

  test('a nonce one instance issued is accepted by the other, and a proof replayed at the other is refused', async () => {
    // Requests alternate between the instances: the use_dpop_nonce answer and the retry land on different ones.
    const { config, dpop, tokens } = await signIn(server, web)
    expect(tokens.token_type).toBe('dpop')
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub, { DPoP: dpop })
    expect(info.sub).toBe(users.alice.subjectId)
    expect(server.served.every((count) => count > 0)).toBe(true)

    const key = await proofKey()
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! })
    const send = (proof: string) =>
      fetch(`${server.issuer}/connect/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(web.clientId, web.secret),
          dpop: proof,
        },
        body,
      })
    const first = await send(
      await makeProof(key, {
        htu: `${server.issuer}/connect/token`,
        iat: Math.floor(server.clock.now() / 1000),
      }),
    )
    const nonce = first.headers.get('dpop-nonce')!
    const proof = await makeProof(key, {
      htu: `${server.issuer}/connect/token`,
      iat: Math.floor(server.clock.now() / 1000),
      nonce,
    })
    expect((await send(proof)).status).toBe(200)
    const replayed = await send(proof)
    expect([replayed.status, ((await replayed.json()) as { error: string }).error]).toEqual([
      400,
      'invalid_dpop_proof',
    ])
  })
})
