/**
 * Start-up checks that refuse a production start: one clear line, a non-zero exit, and
 * nothing written to any store before the refusal.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { runServerToExit, serverConfig, startServer, tempDir, writeConfig } from './fixtures/process.ts'

const dirs: { remove(): void }[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove()
})

/** A config in a fresh directory whose libSQL store would be created there on start. */
function fileConfig(extra: Record<string, unknown> = {}) {
  const dir = tempDir()
  dirs.push(dir)
  const db = join(dir.path, 'portico.db')
  const file = writeConfig(dir.path, serverConfig({ store: `file:${db}`, ...extra }))
  return { file, db }
}

describe('in production', () => {
  test('without issuer or allowedHosts: exit 2 naming issuer and allowedHosts, no store created', async () => {
    const { file, db } = fileConfig()
    const result = await runServerToExit(['--config', file], {
      NODE_ENV: 'production',
      PORTICO_KEY_SECRET: 'a'.repeat(43),
    })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('issuer: is required in production')
    expect(result.stderr).toContain('allowedHosts')
    expect(existsSync(db)).toBe(false)
  }, 30_000)

  test('without PORTICO_KEY_SECRET: refused before the store is created or migrated', async () => {
    const { file, db } = fileConfig({ issuer: 'https://id.example.com' })
    const result = await runServerToExit(['--config', file], { NODE_ENV: 'production' })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('PORTICO_KEY_SECRET is required in production')
    expect(existsSync(db)).toBe(false)
  }, 30_000)

  test('with the wrong PORTICO_KEY_SECRET: refused before the seed is applied', async () => {
    const { file, db } = fileConfig({
      issuer: 'https://id.example.com',
      seed: { clients: [{ clientId: 'late', clientSecrets: [{ value: 'late-secret-0123456789' }] }] },
    })
    const env = { NODE_ENV: 'production' }
    // A first start with one secret, on a config without the seed, creates the keys.
    const { file: seedless } = fileConfig({ issuer: 'https://id.example.com', store: `file:${db}` })
    const first = await startServer(['--config', seedless], { ...env, PORTICO_KEY_SECRET: secretA })
    // Its exit status is not the point (a SIGTERM right after server.started can beat main.ts's handler).
    await first.stop()

    const result = await runServerToExit(['--config', file], { ...env, PORTICO_KEY_SECRET: secretB })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('cannot be decrypted')
    const client = createClient({ url: `file:${db}` })
    try {
      const rows = await client.execute("select client_id from clients where client_id = 'late'")
      expect(rows.rows).toHaveLength(0)
    } finally {
      client.close()
    }
  }, 30_000)
})

const secretA = randomBytes(32).toString('base64url')
const secretB = randomBytes(32).toString('base64url')
