/**
 * Refresh tokens end to end with openid-client: issued only with consented offline access
 * (OIDC Core §11), rotation and reuse detection (RFC 9700 §4.14.2), one winner among
 * concurrent uses, narrowing but never widening, client binding, sliding and absolute expiry,
 * introspection and revocation; on every store setup and across two instances.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { basic } from '../http.ts'
import { discover, exchange, oidc, type RelyingParty, signInThroughPages, startSignIn } from './flow.ts'
import { addOfflineClients, offline } from './offline-clients.ts'
import { rp, users } from './seed.ts'
import { postgresRedis, type SignInServer, startSignInServer, storeSetups } from './server.ts'

async function signInOffline(
  server: SignInServer,
  client: RelyingParty,
  parameters: Record<string, string> = {},
) {
  const config = await discover(server.issuer, client)
  const started = await startSignIn(config, client, {
    scope: 'openid profile api1 offline_access',
    prompt: 'consent',
    ...parameters,
  })
  const back = await signInThroughPages(started, users.alice)
  const tokens = await exchange(config, started, back.url)
  return { config, tokens }
}

function tokenRequest(
  server: SignInServer,
  client: { clientId: string; secret: string },
  body: Record<string, string>,
) {
  return fetch(`${server.issuer}/connect/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(client.clientId, client.secret),
    },
    body: new URLSearchParams(body),
  })
}

async function errorOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: string }).error
}

for (const setup of storeSetups) {
  describe(`refresh tokens on ${setup.name}`, () => {
    let server: SignInServer
    beforeAll(async () => {
      server = await startSignInServer({ setup })
      await addOfflineClients(server)
    }, 30_000)
    afterAll(() => server.close())

    test('rotation: each refresh returns a new token; the old one used again revokes the family', async () => {
      const { config, tokens } = await signInOffline(server, offline.rotating)
      expect(tokens.refresh_token).toBeString()
      expect(tokens.scope).toBe('openid profile api1 offline_access')
      const first = tokens.claims()!
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!)
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token)
      const claims = refreshed.claims()!
      expect([claims.sub, claims.auth_time, claims.sid]).toEqual([first.sub, first.auth_time, first.sid])
      expect(claims.nonce).toBeUndefined()
      const userinfo = () =>
        fetch(`${server.issuer}/connect/userinfo`, {
          headers: { authorization: `Bearer ${refreshed.access_token}` },
        })
      expect((await userinfo()).status).toBe(200)

      const replay = await tokenRequest(server, offline.rotating, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
      })
      expect(replay.status).toBe(400)
      expect(await errorOf(replay)).toBe('invalid_grant')
      // The whole family is gone: the newest refresh token and the reference access token too.
      const newest = await tokenRequest(server, offline.rotating, {
        grant_type: 'refresh_token',
        refresh_token: refreshed.refresh_token!,
      })
      expect(await errorOf(newest)).toBe('invalid_grant')
      expect((await userinfo()).status).toBe(401)
    }, 30_000)

    test('20 concurrent uses of one one-time token: exactly one succeeds', async () => {
      const { tokens } = await signInOffline(server, offline.rotating)
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          tokenRequest(server, offline.rotating, {
            grant_type: 'refresh_token',
            refresh_token: tokens.refresh_token!,
          }),
        ),
      )
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1)
      expect(answers.filter((a) => a.status === 400)).toHaveLength(19)
    }, 30_000)
  })
}

describe('refresh token rules', () => {
  let server: SignInServer
  beforeAll(async () => {
    server = await startSignInServer()
    await addOfflineClients(server)
  }, 30_000)
  afterAll(() => server.close())

  test('no refresh token without offline_access, or without consent to it (OIDC Core §11)', async () => {
    const plain = await signInOffline(server, offline.rotating, { scope: 'openid profile' })
    expect(plain.tokens.refresh_token).toBeUndefined()
    // offline_access asked for without prompt=consent from a client that asks no consent: ignored.
    const config = await discover(server.issuer, offline.rotating)
    const started = await startSignIn(config, offline.rotating, { scope: 'openid offline_access' })
    const back = await signInThroughPages(started, users.alice)
    const tokens = await exchange(config, started, back.url)
    expect(tokens.refresh_token).toBeUndefined()
    expect(tokens.scope).toBe('openid')
  })

  test('unticking offline access on the consent page gives no refresh token', async () => {
    const config = await discover(server.issuer, offline.rotating)
    const started = await startSignIn(config, offline.rotating, {
      scope: 'openid offline_access',
      prompt: 'consent',
    })
    const back = await signInThroughPages(started, users.alice, { scope: ['openid'] })
    const tokens = await exchange(config, started, back.url)
    expect(tokens.refresh_token).toBeUndefined()
  })

  test('a client without allowOfflineAccess asking for offline_access: invalid_scope', async () => {
    const config = await discover(server.issuer, rp.other)
    const started = await startSignIn(config, rp.other, { scope: 'openid offline_access' })
    const page = await started.browser.navigate(started.url.toString())
    expect(new URL(page.url).searchParams.get('error')).toBe('invalid_scope')
  })

  test('the scope may be narrowed on refresh, never widened', async () => {
    const { tokens } = await signInOffline(server, offline.reusing, {
      scope: 'openid profile offline_access',
    })
    const narrowed = await tokenRequest(server, offline.reusing, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      scope: 'openid',
    })
    expect(((await narrowed.json()) as { scope: string }).scope).toBe('openid')
    const widened = await tokenRequest(server, offline.reusing, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      scope: 'openid api1',
    })
    expect(widened.status).toBe(400)
    expect(await errorOf(widened)).toBe('invalid_scope')
  })

  test("another client's use is invalid_grant (and ends the stolen grant)", async () => {
    const { tokens } = await signInOffline(server, offline.rotating)
    const stolen = await tokenRequest(server, offline.reusing, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    })
    expect(await errorOf(stolen)).toBe('invalid_grant')
    const owner = await tokenRequest(server, offline.rotating, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    })
    expect(await errorOf(owner)).toBe('invalid_grant')
  })

  test('reUse returns the same token; sliding expiry moves forward but never past the absolute end', async () => {
    const { tokens } = await signInOffline(server, offline.reusing)
    const refresh = () =>
      tokenRequest(server, offline.reusing, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
      })
    for (let minute = 0; minute < 3; minute++) {
      server.clock.advance(540_000) // 9 minutes: within the 10-minute sliding window each time
      const answer = await refresh()
      expect(answer.status).toBe(200)
      expect(((await answer.json()) as { refresh_token: string }).refresh_token).toBe(tokens.refresh_token!)
    }
    server.clock.advance(540_000) // 36 minutes after sign-in: past the absolute 30
    expect(await errorOf(await refresh())).toBe('invalid_grant')
  })

  test('a sliding token unused for longer than its window expires', async () => {
    const { tokens } = await signInOffline(server, offline.sliding)
    server.clock.advance(601_000)
    const answer = await tokenRequest(server, offline.sliding, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    })
    expect(await errorOf(answer)).toBe('invalid_grant')
  })

  test('an absolute token expires an hour after sign-in however often it is used', async () => {
    const { config, tokens } = await signInOffline(server, offline.rotating)
    let current = tokens.refresh_token!
    for (let i = 0; i < 3; i++) {
      server.clock.advance(1_000_000)
      current = (await oidc.refreshTokenGrant(config, current)).refresh_token!
    }
    server.clock.advance(700_000)
    expect(
      await errorOf(
        await tokenRequest(server, offline.rotating, { grant_type: 'refresh_token', refresh_token: current }),
      ),
    ).toBe('invalid_grant')
  })

  test('a disabled user or a client that lost offline access gets invalid_grant', async () => {
    const { tokens } = await signInOffline(server, offline.reusing)
    const users_ = server.stores.configuration.users
    const alice = (await users_.findBySubjectId(users.alice.subjectId))!
    await users_.upsert({ ...alice, enabled: false })
    try {
      const answer = await tokenRequest(server, offline.reusing, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
      })
      expect(await errorOf(answer)).toBe('invalid_grant')
    } finally {
      await users_.upsert(alice)
    }
  })

  test('introspection: the owner sees an active refresh token, an API and another client do not; revocation ends it', async () => {
    const { tokens } = await signInOffline(server, offline.rotating)
    const introspect = (as: { clientId: string; secret: string }, hint?: string) =>
      fetch(`${server.issuer}/connect/introspect`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(as.clientId, as.secret),
        },
        body: new URLSearchParams({
          token: tokens.refresh_token!,
          ...(hint ? { token_type_hint: hint } : {}),
        }),
      }).then((r) => r.json() as Promise<Record<string, unknown>>)
    for (const hint of [undefined, 'refresh_token', 'access_token']) {
      const own = await introspect(offline.rotating, hint)
      expect(own).toMatchObject({
        active: true,
        token_type: 'refresh_token',
        client_id: 'rotating',
        sub: users.alice.subjectId,
      })
    }
    expect(await introspect(offline.reusing)).toEqual({ active: false })

    const userinfo = () =>
      fetch(`${server.issuer}/connect/userinfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      })
    expect((await userinfo()).status).toBe(200)
    const revoked = await fetch(`${server.issuer}/connect/revocation`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(offline.rotating.clientId, offline.rotating.secret),
      },
      body: new URLSearchParams({ token: tokens.refresh_token!, token_type_hint: 'refresh_token' }),
    })
    expect(revoked.status).toBe(200)
    expect(await introspect(offline.rotating)).toEqual({ active: false })
    // The reference access token issued under it went with it.
    expect((await userinfo()).status).toBe(401)
  })
})

describe('refresh across two instances on Postgres + Redis', () => {
  let server: SignInServer
  beforeAll(async () => {
    server = await startSignInServer({ setup: postgresRedis, instances: 2 })
    await addOfflineClients(server)
  }, 30_000)
  afterAll(() => server.close())

  test('refreshes alternate between instances; reuse is caught by the other instance', async () => {
    const { config, tokens } = await signInOffline(server, offline.rotating)
    const second = await oidc.refreshTokenGrant(config, tokens.refresh_token!)
    const third = await oidc.refreshTokenGrant(config, second.refresh_token!)
    expect(third.refresh_token).toBeString()
    const reuse = await tokenRequest(server, offline.rotating, {
      grant_type: 'refresh_token',
      refresh_token: second.refresh_token!,
    })
    expect(await errorOf(reuse)).toBe('invalid_grant')
    const after = await tokenRequest(server, offline.rotating, {
      grant_type: 'refresh_token',
      refresh_token: third.refresh_token!,
    })
    expect(await errorOf(after)).toBe('invalid_grant')
  }, 30_000)
})
