/**
 * The device authorization grant (RFC 8628) end to end over HTTP: the device asks for codes
 * and polls; a browser enters the code, signs in and decides on the consent page. Pending,
 * slow_down, denial, expiry, single use, wrong and garbled codes, throttled entry; on memory
 * and across two instances on Postgres + Redis.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { basic } from '../http.ts'
import { addDeviceClients, devices } from './device-clients.ts'
import { users } from './seed.ts'
import { postgresRedis, type SignInServer, startSignInServer } from './server.ts'
import { UserAgent } from './user-agent.ts'

const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code'

interface DeviceCodes {
  device_code: string
  user_code: string
  verification_uri: string
  verification_uri_complete: string
  expires_in: number
  interval: number
}

function post(server: SignInServer, path: string, body: Record<string, string>, authorization?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (authorization) headers.authorization = authorization
  return fetch(`${server.issuer}${path}`, { method: 'POST', headers, body: new URLSearchParams(body) })
}

async function requestCodes(
  server: SignInServer,
  scope = 'openid profile offline_access',
): Promise<DeviceCodes> {
  const response = await post(server, '/connect/deviceauthorization', {
    client_id: devices.tv.clientId,
    scope,
  })
  expect(response.status).toBe(200)
  expect(response.headers.get('cache-control')).toBe('no-store')
  return (await response.json()) as DeviceCodes
}

/** One poll, the clock moved past the interval first so pacing is not what is tested. */
async function poll(server: SignInServer, deviceCode: string, clientId: string = devices.tv.clientId) {
  server.clock.advance(5_000)
  const response = await post(server, '/connect/token', {
    grant_type: deviceGrant,
    device_code: deviceCode,
    client_id: clientId,
  })
  return { status: response.status, body: (await response.json()) as Record<string, string> }
}

/** The user's side: enter (or confirm) the code, sign in, then Allow or Deny. */
async function decide(codes: DeviceCodes, decision: 'allow' | 'deny', typed?: string) {
  const browser = new UserAgent()
  let page = await browser.navigate(
    typed === undefined ? codes.verification_uri_complete : codes.verification_uri,
  )
  expect(page.html).toContain('name="user_code"')
  page = await browser.submit(page, typed === undefined ? {} : { user_code: typed })
  if (page.html.includes('name="password"')) page = await browser.submit(page, users.alice)
  expect(page.html).toContain(codes.user_code)
  expect(page.html).toContain('Living-room TV')
  return browser.submit(page, {}, decision)
}

for (const [name, options] of [
  ['memory', {}],
  ['two instances on Postgres + Redis', { setup: postgresRedis, instances: 2 as const }],
] as const) {
  describe(`device flow on ${name}`, () => {
    let server: SignInServer
    beforeAll(async () => {
      server = await startSignInServer(options)
      await addDeviceClients(server)
    }, 30_000)
    afterAll(() => server.close())

    test('codes, pending polls, approval in the browser, tokens exactly once', async () => {
      const codes = await requestCodes(server)
      expect(codes.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/)
      expect(codes.verification_uri).toBe(`${server.issuer}/device`)
      expect(codes.verification_uri_complete).toBe(`${server.issuer}/device?user_code=${codes.user_code}`)
      expect([codes.expires_in, codes.interval]).toEqual([300, 5])
      expect(Buffer.from(codes.device_code, 'base64url').length).toBeGreaterThanOrEqual(16)

      expect((await poll(server, codes.device_code)).body.error).toBe('authorization_pending')
      const done = await decide(codes, 'allow')
      expect(done.html).toContain('Device connected')

      const tokens = await poll(server, codes.device_code)
      expect(tokens.status).toBe(200)
      expect(tokens.body.scope).toBe('openid profile offline_access')
      expect(tokens.body.refresh_token).toBeString()
      const jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/openid-configuration/jwks`))
      const { payload } = await jwtVerify(tokens.body.id_token!, jwks, {
        issuer: server.issuer,
        audience: devices.tv.clientId,
      })
      expect(payload.sub).toBe(users.alice.subjectId)
      expect(typeof payload.auth_time).toBe('number')

      const again = await poll(server, codes.device_code)
      expect(again.status).toBe(400)
      expect(again.body.error).toBe('invalid_grant')
    }, 30_000)

    test('Deny answers access_denied', async () => {
      const codes = await requestCodes(server)
      const done = await decide(codes, 'deny')
      expect(done.html).toContain('Access denied')
      expect((await poll(server, codes.device_code)).body.error).toBe('access_denied')
    }, 30_000)
  })
}

describe('device flow rules', () => {
  let server: SignInServer
  beforeAll(async () => {
    server = await startSignInServer()
    await addDeviceClients(server)
  }, 30_000)
  afterAll(() => server.close())

  test('polling faster than the interval is slow_down', async () => {
    const codes = await requestCodes(server)
    const body = { grant_type: deviceGrant, device_code: codes.device_code, client_id: devices.tv.clientId }
    expect(((await (await post(server, '/connect/token', body)).json()) as { error: string }).error).toBe(
      'authorization_pending',
    )
    const fast = await post(server, '/connect/token', body)
    expect(fast.status).toBe(400)
    expect(((await fast.json()) as { error: string }).error).toBe('slow_down')
    server.clock.advance(5_000)
    expect(((await (await post(server, '/connect/token', body)).json()) as { error: string }).error).toBe(
      'authorization_pending',
    )
  })

  test('an expired device code is expired_token, and its user code no longer works', async () => {
    const codes = await requestCodes(server)
    server.clock.advance(301_000)
    const browser = new UserAgent()
    const page = await browser.submit(await browser.navigate(codes.verification_uri_complete))
    expect(page.status).toBe(400)
    expect(page.html).toContain('not valid or has expired')
    expect((await poll(server, codes.device_code)).body.error).toBe('expired_token')
  })

  test('a garbled but equal code is accepted: lower case, spaces, no dash', async () => {
    const codes = await requestCodes(server)
    const garbled = ` ${codes.user_code
      .replace('-', '')
      .toLowerCase()
      .replace(/(.{2})/g, '$1 ')}`
    const done = await decide(codes, 'allow', garbled)
    expect(done.html).toContain('Device connected')
    expect((await poll(server, codes.device_code)).status).toBe(200)
  })

  test('wrong codes are refused; too many from one browser are throttled with 429', async () => {
    await requestCodes(server)
    const browser = new UserAgent()
    let page = await browser.navigate(`${server.issuer}/device`)
    const statuses: number[] = []
    for (const typed of [
      'BCDF-GHJK',
      'XXXX',
      'AEIO-UAEI',
      'BBBB-BBBB',
      'CCCC-CCCC',
      'DDDD-DDDD',
      'FFFF-FFFF',
    ]) {
      page = await browser.submit(page, { user_code: typed })
      statuses.push(page.status)
    }
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400])
    expect(statuses.at(-1)).toBe(429)
    expect(page.headers.get('retry-after')).toBeTruthy()
  })

  test('code entry without the anti-forgery token is refused', async () => {
    const codes = await requestCodes(server)
    const response = await post(server, '/device', { user_code: codes.user_code })
    expect(response.status).toBe(403)
  })

  test('a device code is bound to its client; a client without the grant gets none', async () => {
    const codes = await requestCodes(server)
    const stolen = await post(
      server,
      '/connect/token',
      { grant_type: deviceGrant, device_code: codes.device_code },
      basic(devices.cli.clientId, devices.cli.secret),
    )
    expect(((await stolen.json()) as { error: string }).error).toBe('invalid_grant')
    const refused = await post(server, '/connect/deviceauthorization', { client_id: 'spa', scope: 'openid' })
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: string }).error).toBe('unauthorized_client')
    const badScope = await post(server, '/connect/deviceauthorization', {
      client_id: devices.tv.clientId,
      scope: 'email',
    })
    expect(((await badScope.json()) as { error: string }).error).toBe('invalid_scope')
  })

  test('a confidential client authenticates at both endpoints', async () => {
    const unauthenticated = await post(server, '/connect/deviceauthorization', {
      client_id: devices.cli.clientId,
      scope: 'api1',
    })
    expect(unauthenticated.status).toBe(401)
    const ok = await post(
      server,
      '/connect/deviceauthorization',
      { scope: 'api1' },
      basic(devices.cli.clientId, devices.cli.secret),
    )
    expect(ok.status).toBe(200)
  })

  test('discovery announces the endpoint and the grant', async () => {
    const doc = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >
    expect(doc.device_authorization_endpoint).toBe(`${server.issuer}/connect/deviceauthorization`)
    expect(doc.grant_types_supported).toContain(deviceGrant)
  })
})
