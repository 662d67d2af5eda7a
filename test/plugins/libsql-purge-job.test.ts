/**
 * The background purge job (core/stores/purge-job.ts) over real stores (a libSQL file): first
 * run at a random offset into the interval, then every interval; counts logged; failures
 * logged without stopping the job; stop() ends it.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import type { Clock } from '../../core/clock.ts'
import type { LogFields, Logger } from '../../core/logger.ts'
import type { PluginInstance } from '../../core/stores/contract.ts'
import { type PurgeJob, startPurgeJob } from '../../core/stores/purge-job.ts'
import libsql from '../../plugins/libsql/index.ts'
import type { LibsqlOptions } from '../../plugins/libsql/options.ts'
import { dropLibsqlFile, freshLibsql } from './fixtures/sql/namespace.ts'

/** Records events; `next(event)` resolves on the next one of that name. */
class RecordingLogger implements Logger {
  readonly events: { event: string; fields: LogFields }[] = []
  #waiters: { event: string; resolve: (fields: LogFields) => void }[] = []

  #record(event: string, fields: LogFields = {}) {
    this.events.push({ event, fields })
    for (const waiter of this.#waiters.filter((w) => w.event === event)) waiter.resolve(fields)
    this.#waiters = this.#waiters.filter((w) => w.event !== event)
  }
  debug = (event: string, fields?: LogFields) => this.#record(event, fields)
  info = (event: string, fields?: LogFields) => this.#record(event, fields)
  warn = (event: string, fields?: LogFields) => this.#record(event, fields)
  error = (event: string, fields?: LogFields) => this.#record(event, fields)
  child = () => this

  next(event: string, timeoutMs = 5000): Promise<LogFields> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs)
      this.#waiters.push({
        event,
        resolve: (fields) => {
          clearTimeout(timer)
          resolve(fields)
        },
      })
    })
  }
}

const clock: Clock = { now: () => 1_000_000 }
let options: LibsqlOptions
let instance: PluginInstance
let job: PurgeJob | undefined

async function open(): Promise<PluginInstance> {
  options = freshLibsql()
  instance = await libsql.create(options, { roles: ['operational'], clock, logger: new RecordingLogger() })
  await instance.migrate!()
  return instance
}

async function seedExpired(count: number, live = 0) {
  const { grants, sessions, replay } = instance.operational!
  for (let i = 0; i < count; i++) {
    const expiresAt = clock.now() - 1
    await grants.store({
      key: `g${i}-${Math.random()}`,
      type: 'refresh_token',
      clientId: 'c',
      createdAt: 0,
      expiresAt,
      data: '{}',
    })
    await sessions.create({
      key: `s${i}-${Math.random()}`,
      subjectId: 'u',
      sessionId: 'sid',
      createdAt: 0,
      renewedAt: 0,
      expiresAt,
      data: '{}',
    })
    await replay.addIfAbsent(`r${i}-${Math.random()}`, expiresAt)
  }
  for (let i = 0; i < live; i++) {
    await grants.store({
      key: `live${i}`,
      type: 'refresh_token',
      clientId: 'c',
      createdAt: 0,
      expiresAt: clock.now() + 60_000,
      data: '{}',
    })
  }
}

afterEach(async () => {
  await job?.stop()
  job = undefined
  await instance?.close()
  await dropLibsqlFile(options)
})

describe('purge job', () => {
  test('runs first at its random offset, then every interval, logging what it removed', async () => {
    await open()
    await seedExpired(7, 3)
    const logger = new RecordingLogger()
    const first = logger.next('store.purge_expired')
    job = startPurgeJob({
      stores: instance.operational!,
      clock,
      logger,
      intervalMs: 200,
      batchSize: 2,
      random: () => 0.5,
    })
    const started = performance.now()
    expect(await first).toMatchObject({ grants: 7, sessions: 7, replay: 7, deviceCodes: 0, total: 21 })
    expect(performance.now() - started).toBeGreaterThanOrEqual(90)
    expect(await instance.operational!.grants.getAll({ clientId: 'c' })).toHaveLength(3)

    await seedExpired(2)
    expect(await logger.next('store.purge_expired')).toMatchObject({ grants: 2, total: 6 })
  })

  test('does not run at start when its offset falls later in the interval', async () => {
    await open()
    await seedExpired(1)
    const logger = new RecordingLogger()
    job = startPurgeJob({
      stores: instance.operational!,
      clock,
      logger,
      intervalMs: 60_000,
      random: () => 0.99,
    })
    await Bun.sleep(300)
    expect(logger.events).toEqual([])
    expect(await instance.operational!.replay.purgeExpired({ before: clock.now(), batchSize: 10 })).toBe(1)
  })

  test('a failing run is logged and the job goes on; stop() ends it', async () => {
    await open()
    const logger = new RecordingLogger()
    job = startPurgeJob({ stores: instance.operational!, clock, logger, intervalMs: 100, random: () => 0 })
    await logger.next('store.purge_expired')
    await instance.close()
    expect(await logger.next('store.purge_failed')).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    expect(await logger.next('store.purge_failed')).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })

    await job.stop()
    const count = logger.events.length
    await Bun.sleep(300)
    expect(logger.events.length).toBe(count)
  })
})
