import { afterEach, describe, expect, test } from 'bun:test'
import { createLogger } from '../../server/logging/logger.ts'
import { buildApp } from './fixtures/app.ts'

const secrets = {
  password: 'pw-Tr0ub4dor&3',
  clientSecret: 'cs-correct-horse-battery',
  code: 'code-SplxlOBeZQQYbYS6WxSbIA',
  refresh: 'rt-tGzv3JOkF0XG5Qx2TlKWIA',
  bearer: 'at-2YotnFZFEjr1zCsicMWpAA',
  jwt: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl',
  cookie: 'sess-9f8e7d6c5b4a',
  assertion: 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ3ZWIifQ.YXNzZXJ0aW9u',
  dbPassword: 'db-hunter2-pass',
  verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
}

function assertClean(output: string) {
  for (const [name, value] of Object.entries(secrets)) {
    if (output.includes(value)) throw new Error(`log output contains the ${name}: ${output}`)
  }
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

describe('log redaction', () => {
  test('secret-bearing fields and values never reach a line, at any depth', () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) })
    logger.info('event.with.secrets', {
      password: secrets.password,
      client_secret: secrets.clientSecret,
      request: {
        headers: { authorization: `Bearer ${secrets.bearer}`, Cookie: `portico.session=${secrets.cookie}` },
        body: { code: secrets.code, refreshToken: secrets.refresh, client_assertion: secrets.assertion },
      },
      tokens: [secrets.jwt],
      url: `postgres://portico:${secrets.dbPassword}@db.internal:5432/portico`,
      note: `token endpoint got grant_type=authorization_code&code=${secrets.code}&code_verifier=${secrets.verifier}`,
      json: JSON.stringify({ password: secrets.password, username: 'alice' }),
      error: new Error(`login failed with Authorization: Basic ${btoa(`web:${secrets.clientSecret}`)}`),
      client_id: 'web',
      status: 400,
    })
    logger.child({ session_cookie: secrets.cookie }).warn(`bearer token Bearer ${secrets.bearer} rejected`)
    const output = lines.join('\n')
    assertClean(output)
    expect(output).not.toContain(btoa(`web:${secrets.clientSecret}`))
    const first = JSON.parse(lines[0]!)
    // What is not secret stays readable.
    expect(first.client_id).toBe('web')
    expect(first.status).toBe(400)
    expect(first.url).toBe('postgres://portico:[redacted]@db.internal:5432/portico')
    expect(first.event).toBe('event.with.secrets')
    expect(first.level).toBe('info')
    expect(Date.parse(first.time)).not.toBeNaN()
  })

  test('requests carrying secrets in headers, query, form and errors log none of them', async () => {
    const built = await buildApp({
      seed: {
        clients: [
          {
            clientId: 'web',
            clientSecrets: [{ value: secrets.clientSecret }],
            allowedGrantTypes: ['client_credentials'],
          },
        ],
      },
    })
    closers.push(built.close)
    const { app, lines } = built
    app.post('/test/fails', async (c) => {
      const form = await c.req.parseBody()
      throw new Error(`could not handle ${JSON.stringify(form)} with ${c.req.header('authorization')}`)
    })
    const basic = `Basic ${btoa(`web:${secrets.clientSecret}`)}`
    const form = new URLSearchParams({
      grant_type: 'password',
      username: 'alice',
      password: secrets.password,
      client_secret: secrets.clientSecret,
      code: secrets.code,
      refresh_token: secrets.refresh,
      client_assertion: secrets.assertion,
      code_verifier: secrets.verifier,
    })
    const requests = [
      app.request('/connect/token', { method: 'POST', body: form, headers: { Authorization: basic } }),
      app.request(`/connect/token?code=${secrets.code}`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: secrets.refresh }),
        headers: { Authorization: `Bearer ${secrets.bearer}`, Cookie: `portico.session=${secrets.cookie}` },
      }),
      app.request(`/nowhere?access_token=${secrets.bearer}&code=${secrets.code}`),
      app.request('/test/fails', {
        method: 'POST',
        body: form,
        headers: { Authorization: `Bearer ${secrets.jwt}` },
      }),
    ]
    for (const response of await Promise.all(requests)) await response.text()
    const output = lines.join('\n')
    assertClean(output)
    const requestLines = lines.map((line) => JSON.parse(line)).filter((line) => line.event === 'request')
    expect(requestLines).toHaveLength(4)
    for (const line of requestLines) {
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining(['method', 'route', 'status', 'duration_ms', 'request_id']),
      )
    }
    expect(requestLines.map((line) => [line.method, line.route, line.status])).toContainEqual([
      'GET',
      null,
      404,
    ])
    expect(requestLines.map((line) => line.route)).toContain('/test/fails')
  })

  test('the level threshold drops lines below it', () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) })
    logger.debug('a')
    logger.info('b')
    logger.warn('c')
    logger.error('d')
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(['c', 'd'])
  })
})
