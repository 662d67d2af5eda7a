/**
 * Start-up checks that refuse a production start: one clear line, a non-zero exit, and
 * nothing written to any store before the refusal.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { runServerToExit, serverConfig, tempDir, writeConfig } from './fixtures/process.ts'

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
})
