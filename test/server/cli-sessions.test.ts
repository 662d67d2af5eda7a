/**
 * The admin CLI's session and grant management (issue 11 item 7) as an operator runs it:
 * `sessions list|revoke` (revoke sends Back-Channel Logout to a receiver here and waits for
 * it, retrying a 503) and `grants list|revoke`, on a libSQL file the test shares with the CLI.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import { client } from '../../core/models/client.ts'
import type { GrantType } from '../../core/models/grant.ts'
import { loadConfig } from '../../server/config/load.ts'
import { openStores } from '../../server/stores/load.ts'
import { runCli, tempDir, writeConfig } from './fixtures/process.ts'

const dir = tempDir()
const issuer = 'https://id.example.test'
const env = { PORTICO_KEY_SECRET: 'cli-sessions-key-secret-0123456789abcdef' }
let config: string
const received: { token: string; status: number }[] = []
const receiver = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  async fetch(request) {
    const token = new URLSearchParams(await request.text()).get('logout_token') ?? ''
    const status = received.length === 0 ? 503 : 200
    received.push({ token, status })
    return new Response(null, { status })
  },
})

async function openTestStores() {
  const loaded = await loadConfig({ path: config, env })
  return openStores({
    stores: loaded.stores,
    baseDir: loaded.baseDir,
    clock: systemClock,
    logger: silentLogger,
    migrate: true,
    roles: ['configuration', 'operational'],
  })
}

const now = Date.now()
const session = (subjectId: string, sessionId: string, clients: string[]) => ({
  key: `session-${sessionId}`,
  subjectId,
  sessionId,
  createdAt: now,
  renewedAt: now,
  expiresAt: now + 3_600_000,
  data: JSON.stringify({ authTime: Math.floor(now / 1000), amr: ['pwd'], clients }),
})
const grant = (type: GrantType, subjectId: string, clientId: string) => ({
  key: `${type}-${subjectId}-${clientId}`,
  type,
  subjectId,
  clientId,
  sessionId: 'sid-a1',
  createdAt: now,
  expiresAt: now + 3_600_000,
  data: '{"secret":"never printed"}',
})

beforeAll(async () => {
  config = writeConfig(dir.path, { issuer, store: `file:${join(dir.path, 'portico.db')}` })
  const opened = await openTestStores()
  try {
    const { configuration, operational } = opened.stores
    await configuration!.clients.upsert(
      client({ clientId: 'bc', backChannelLogoutUri: `http://127.0.0.1:${receiver.port}/logout` }),
    )
    await configuration!.clients.upsert(client({ clientId: 'quiet' }))
    await operational!.sessions.create(session('alice', 'sid-a1', ['bc', 'quiet']))
    await operational!.sessions.create(session('alice', 'sid-a2', ['quiet']))
    await operational!.sessions.create(session('bob', 'sid-b1', ['bc']))
    for (const type of ['user_consent', 'refresh_token', 'reference_token', 'authorization_code'] as const) {
      await operational!.grants.store(grant(type, 'alice', 'bc'))
    }
    await operational!.grants.store(grant('refresh_token', 'alice', 'quiet'))
    await operational!.grants.store(grant('refresh_token', 'bob', 'bc'))
  } finally {
    await opened.close()
  }
}, 30_000)
afterAll(() => {
  receiver.stop(true)
  dir.remove()
})

describe('bun run portico sessions', () => {
  test('list --subject shows each session with its clients, as a table or --json', async () => {
    const table = await runCli(['sessions', 'list', '--subject', 'alice', '--config', config], { env })
    expect(table.exitCode).toBe(0)
    expect(table.stdout).toMatch(/^SID\s+CREATED\s+EXPIRES\s+CLIENTS\n/)
    expect(table.stdout).toContain('bc,quiet')
    const json = await runCli(['sessions', 'list', '--subject', 'alice', '--json', '--config', config], {
      env,
    })
    const listed = JSON.parse(json.stdout) as { sid: string; clients: string[] }[]
    expect(listed.map((s) => [s.sid, s.clients]).sort()).toEqual([
      ['sid-a1', ['bc', 'quiet']],
      ['sid-a2', ['quiet']],
    ])
    const missing = await runCli(['sessions', 'list', '--config', config], { env })
    expect(missing.exitCode).toBe(2)
  }, 30_000)

  test('revoke --sid ends that session only and sends a Logout Token, retried after a 503', async () => {
    const unknown = await runCli(
      ['sessions', 'revoke', '--subject', 'alice', '--sid', 'nope', '--config', config],
      {
        env,
      },
    )
    expect(unknown.exitCode).toBe(1)
    expect(received).toHaveLength(0)

    const revoked = await runCli(
      ['sessions', 'revoke', '--subject', 'alice', '--sid', 'sid-a1', '--config', config],
      { env },
    )
    expect(revoked.stderr).toBe('')
    expect(revoked.exitCode).toBe(0)
    expect(revoked.stdout).toBe('revoked 1 session of "alice"; back-channel logout sent to 1 client\n')
    expect(received.map((r) => r.status)).toEqual([503, 200])
    const token = received[1]!.token
    expect(decodeProtectedHeader(token).typ).toBe('logout+jwt')
    expect(decodeJwt(token)).toMatchObject({
      iss: issuer,
      aud: 'bc',
      sub: 'alice',
      sid: 'sid-a1',
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    })
    const left = await runCli(['sessions', 'list', '--subject', 'alice', '--json', '--config', config], {
      env,
    })
    expect((JSON.parse(left.stdout) as { sid: string }[]).map((s) => s.sid)).toEqual(['sid-a2'])
  }, 30_000)

  test('revoke --sid alone finds the session, ends it and sends its Logout Token', async () => {
    const before = received.length
    const unknown = await runCli(['sessions', 'revoke', '--sid', 'nope', '--config', config], { env })
    expect(unknown.exitCode).toBe(1)
    expect(unknown.stderr).toBe('portico: no session "nope"\n')
    const neither = await runCli(['sessions', 'revoke', '--config', config], { env })
    expect(neither.exitCode).toBe(2)
    expect(received).toHaveLength(before)

    const revoked = await runCli(['sessions', 'revoke', '--sid', 'sid-b1', '--config', config], { env })
    expect(revoked.stderr).toBe('')
    expect(revoked.exitCode).toBe(0)
    expect(revoked.stdout).toBe('revoked 1 session of "bob"; back-channel logout sent to 1 client\n')
    const delivered = received.slice(before).filter((r) => r.status === 200)
    expect(delivered).toHaveLength(1)
    expect(decodeJwt(delivered[0]!.token)).toMatchObject({
      iss: issuer,
      aud: 'bc',
      sub: 'bob',
      sid: 'sid-b1',
    })
    const left = await runCli(['sessions', 'list', '--subject', 'bob', '--json', '--config', config], { env })
    expect(JSON.parse(left.stdout)).toEqual([])
    const alice = await runCli(['sessions', 'list', '--subject', 'alice', '--json', '--config', config], {
      env,
    })
    expect((JSON.parse(alice.stdout) as { sid: string }[]).length).toBeGreaterThan(0)
  }, 30_000)
})

describe('bun run portico grants', () => {
  test('list --subject / --client, never printing handles or payloads', async () => {
    const bySubject = await runCli(['grants', 'list', '--subject', 'alice', '--json', '--config', config], {
      env,
    })
    expect(bySubject.exitCode).toBe(0)
    const grants = JSON.parse(bySubject.stdout) as { type: string; client: string }[]
    expect(grants.map((g) => `${g.type} ${g.client}`).sort()).toEqual([
      'authorization_code bc',
      'reference_token bc',
      'refresh_token bc',
      'refresh_token quiet',
      'user_consent bc',
    ])
    expect(bySubject.stdout).not.toContain('never printed')
    expect(bySubject.stdout).not.toContain('refresh_token-alice')
    const byClient = await runCli(['grants', 'list', '--client', 'bc', '--config', config], { env })
    expect(byClient.stdout).toMatch(/^TYPE\s+SUBJECT\s+CLIENT/)
    expect(byClient.stdout).toContain('bob')
    expect((await runCli(['grants', 'list', '--config', config], { env })).exitCode).toBe(2)
  }, 30_000)

  test('revoke --subject --client removes consent, refresh and reference tokens of that pair only', async () => {
    const revoked = await runCli(
      ['grants', 'revoke', '--subject', 'alice', '--client', 'bc', '--config', config],
      {
        env,
      },
    )
    expect(revoked.exitCode).toBe(0)
    expect(revoked.stdout).toBe(
      'revoked grants of "alice" for "bc": user_consent 1, refresh_token 1, reference_token 1\n',
    )
    const left = await runCli(['grants', 'list', '--subject', 'alice', '--json', '--config', config], { env })
    expect(
      (JSON.parse(left.stdout) as { type: string; client: string }[])
        .map((g) => `${g.type} ${g.client}`)
        .sort(),
    ).toEqual(['authorization_code bc', 'refresh_token quiet'])
    const bob = await runCli(['grants', 'list', '--subject', 'bob', '--json', '--config', config], { env })
    expect(JSON.parse(bob.stdout)).toHaveLength(1)
  }, 30_000)
})
