import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KeyDecryptionError, type KeyRing } from '../../../core/keys/index.ts'
import type { LogFields, Logger } from '../../../core/logger.ts'
import type { KeyStore } from '../../../core/stores/keys.ts'
import memory from '../../../plugins/memory/index.ts'
import {
  DEV_SECRET_FILE,
  type KeyRingConfig,
  KeySecretMissingError,
  startKeyRing,
} from '../../../server/key-ring.ts'
import { DAY, ManualClock } from './backends.ts'

const clock = new ManualClock()
const dirs: string[] = []
const rings: KeyRing[] = []
afterEach(async () => {
  for (const ring of rings.splice(0)) ring.close()
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

function recordingLogger(lines: { level: string; event: string; fields?: LogFields }[]): Logger {
  const log = (level: string) => (event: string, fields?: LogFields) => lines.push({ level, event, fields })
  const logger: Logger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: () => logger,
  }
  return logger
}

function config(plugin: string, keySecret?: string): KeyRingConfig {
  return {
    keySecret,
    dataDir: './data',
    baseDir: '/nonexistent',
    stores: { keys: { plugin, options: {} } },
    signing: {
      algorithms: ['ES256'],
      accessTokenAlgorithm: 'ES256',
      propagationTime: 14 * 86_400,
      rotationInterval: 90 * 86_400,
      retentionDuration: 14 * 86_400,
    },
    dataProtection: { rotationInterval: 90 * 86_400, retentionDuration: 90 * 86_400 },
  }
}

async function memoryKeys(): Promise<KeyStore> {
  const instance = await memory.create({}, { roles: ['keys'], clock, logger: recordingLogger([]) })
  return instance.keys!
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'portico-keys-'))
  dirs.push(dir)
  return join(dir, 'data')
}

describe('startKeyRing', () => {
  test('production refuses a persistent keys store without PORTICO_KEY_SECRET, in one line', async () => {
    const dataDir = await tempDir()
    const start = startKeyRing(config('postgres'), await memoryKeys(), {
      logger: recordingLogger([]),
      clock,
      dataDir,
      production: true,
      env: {},
    })
    const error = await start.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeySecretMissingError)
    expect((error as Error).message).toContain('PORTICO_KEY_SECRET is required in production')
    expect((error as Error).message).not.toContain('\n')
    // Nothing was generated behind the operator's back.
    await expect(stat(join(dataDir, DEV_SECRET_FILE))).rejects.toThrow()
  })

  test('production starts with PORTICO_KEY_SECRET from the environment or the config', async () => {
    const keys = await memoryKeys()
    const options = { logger: recordingLogger([]), clock, production: true }
    const a = await startKeyRing(config('postgres'), keys, {
      ...options,
      env: { PORTICO_KEY_SECRET: 'x'.repeat(32) },
    })
    const b = await startKeyRing(config('postgres', 'x'.repeat(32)), keys, { ...options, env: {} })
    rings.push(a, b)
    expect(await b.unprotect('p', await a.protect('p', 'shared', 60))).toBe('shared')
  })

  test('development generates a secret into the data directory (0600), warns, and reuses it', async () => {
    const dataDir = await tempDir()
    const keys = await memoryKeys()
    const lines: { level: string; event: string; fields?: LogFields }[] = []
    const options = { logger: recordingLogger(lines), clock, dataDir, production: false, env: {} }
    const first = await startKeyRing(config('libsql'), keys, options)
    rings.push(first)
    const file = join(dataDir, DEV_SECRET_FILE)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    const secret = (await readFile(file, 'utf8')).trim()
    expect(secret.length).toBeGreaterThanOrEqual(32)
    expect(lines.some((l) => l.level === 'warn' && l.event === 'keys.secret_generated')).toBe(true)
    expect(JSON.stringify(lines)).not.toContain(secret)

    // A restart reads the same secret, so it can decrypt the keys the first run stored.
    const second = await startKeyRing(config('libsql'), keys, options)
    rings.push(second)
    expect((await second.signingKey()).kid).toBe((await first.signingKey()).kid)
    // And that secret really is what encrypts them.
    const other = await startKeyRing(config('libsql', 'y'.repeat(32)), keys, options).catch((e: unknown) => e)
    expect(other).toBeInstanceOf(KeyDecryptionError)
  })

  test('an in-memory keys store needs no secret, even in production', async () => {
    const ring = await startKeyRing(config('memory'), await memoryKeys(), {
      logger: recordingLogger([]),
      clock,
      production: true,
      env: {},
    })
    rings.push(ring)
    expect((await ring.jwks()).keys).toHaveLength(1)
  })

  test('configured lifetimes reach the key ring', async () => {
    const c = config('memory')
    c.signing.rotationInterval = 10 * 86_400
    c.signing.propagationTime = 86_400
    const ring = await startKeyRing(c, await memoryKeys(), { logger: recordingLogger([]), clock, env: {} })
    rings.push(ring)
    clock.advance(9 * DAY)
    await ring.refresh()
    const announced = (await ring.list()).find((k) => k.use === 'signing' && k.status === 'announced')
    expect(announced?.activatesAt).toBe(clock.now() + DAY)
  })

  test('signing-key retention never ends before the longest token lifetime', async () => {
    const c = config('memory')
    c.signing.retentionDuration = 0
    c.seed = { clients: [{ clientId: 'web', accessTokenLifetime: 7200 }] }
    const ring = await startKeyRing(c, await memoryKeys(), { logger: recordingLogger([]), clock, env: {} })
    rings.push(ring)
    const token = await ring.sign({ sub: 'alice' })
    await ring.rotate({ activateNow: true })
    clock.advance(7200 * 1000 - 1)
    expect((await ring.verify(token)).payload.sub).toBe('alice')
    clock.advance(1)
    await expect(ring.verify(token)).rejects.toThrow()
  })
})
