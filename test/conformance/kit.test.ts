/**
 * The kit must be able to fail: it passes the memory plugin and fails each deliberately broken
 * plugin in test/fixtures/plugins exactly on the guarantee that plugin breaks.
 */
import { describe, expect, test } from 'bun:test'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { StorePlugin } from '../../core/index.ts'
import memory from '../../plugins/memory/index.ts'
import closeKeepsHandle from '../fixtures/plugins/close-keeps-handle.ts'
import keysWithoutCas from '../fixtures/plugins/keys-without-cas.ts'
import leakyClose from '../fixtures/plugins/leaky-close.ts'
import lookalikeFilter from '../fixtures/plugins/lookalike-filter.ts'
import nonAtomicConsume from '../fixtures/plugins/non-atomic-consume.ts'
import nonAtomicDecision from '../fixtures/plugins/non-atomic-decision.ts'
import nullOptionalFields from '../fixtures/plugins/null-optional-fields.ts'
import perInstanceLock from '../fixtures/plugins/per-instance-lock.ts'
import removeAllIgnoresFilter from '../fixtures/plugins/removeall-ignores-filter.ts'
import syncSqlite from '../fixtures/plugins/sync-sqlite/index.ts'
import wallClock from '../fixtures/plugins/wall-clock.ts'
import { runStoreConformance } from './index.ts'
import { recordingRunner, runRecorded } from './recording-runner.ts'
import type { ConformanceTarget } from './types.ts'

const fixture = (file: string) => fileURLToPath(new URL(`../fixtures/plugins/${file}`, import.meta.url))

function record<O>(target: ConformanceTarget<O>) {
  const { runner, tests } = recordingRunner()
  runStoreConformance(runner, target)
  return tests
}

async function failuresOf<O>(target: ConformanceTarget<O>, only?: (name: string) => boolean) {
  const tests = record(target).filter((t) => only?.(t.name) ?? true)
  const failures = await runRecorded(tests)
  return { names: tests.map((t) => t.name), failed: [...failures.keys()].sort(), failures }
}

/** The fixtures over memory keep their records in one process's heap: no other process can race them. */
const inOneProcess = { crossProcess: 'records live in one process’s memory' }

const target = (plugin: StorePlugin<object>, module?: string): ConformanceTarget<object> => ({
  plugin,
  options: () => ({}),
  optOut: inOneProcess,
  ...(module ? { module } : {}),
})

const crossProcessTest = (name: string) => name.startsWith('processes on one backend > ')

describe('conformance kit', () => {
  test('the memory plugin passes every test', async () => {
    const { names, failures } = await failuresOf(
      target(memory, fileURLToPath(new URL('../../plugins/memory/index.ts', import.meta.url))),
    )
    expect(names.length).toBeGreaterThan(100)
    expect(Object.fromEntries(failures)).toEqual({})
  }, 60_000)

  test('a plugin lacking a role is never asked for it', () => {
    const keysOnly = { ...memory, name: 'keys-only', capabilities: { roles: ['keys'] as const } }
    const names = record(target(keysOnly as StorePlugin<object>)).map((t) => t.name)
    expect(names.some((n) => n.startsWith('keys >'))).toBe(true)
    expect(names.some((n) => n.startsWith('operational') || n.startsWith('configuration'))).toBe(false)
    expect(() => record({ ...target(keysOnly as StorePlugin<object>), roles: ['operational'] })).toThrow(
      /does not declare/,
    )
  })

  test('target.roles narrows the roles tested and the roles create() is asked for', async () => {
    const asked: string[][] = []
    const spy: StorePlugin<object> = {
      ...memory,
      create: (options, context) => {
        asked.push([...context.roles])
        return memory.create(options, context)
      },
    }
    const tests = record({ ...target(spy), roles: ['keys'] })
    expect(tests.some((t) => t.name.startsWith('operational'))).toBe(false)
    expect(await runRecorded(tests)).toEqual(new Map())
    expect(asked.length).toBeGreaterThan(0)
    expect(asked.every((roles) => roles.length === 1 && roles[0] === 'keys')).toBe(true)
  }, 30_000)

  test('a non-atomic consume fails the concurrency test', async () => {
    const { failed, failures } = await failuresOf(target(nonAtomicConsume))
    expect(failed).toEqual([
      'operational: persisted grants > 50 concurrent consume() calls: exactly one consumed, the rest already-consumed',
    ])
    expect([...failures.values()][0]).toContain(
      'grants.consume: exactly one of 50 concurrent callers must win',
    )
  }, 60_000)

  test('a non-atomic authorize fails the concurrent decision test', async () => {
    const { failed } = await failuresOf(target(nonAtomicDecision))
    expect(failed).toEqual([
      'operational: device codes > 50 concurrent authorize() and deny() calls: exactly one decision',
    ])
  }, 60_000)

  test('a plugin reading the wall clock fails every expiry test', async () => {
    const { failed, failures } = await failuresOf(target(wallClock))
    expect(failed).toEqual(
      [
        'operational: device codes > consume acts on a pending record too (Portico checks the status before it consumes)',
        'operational: device codes > expired records are never returned or acted on (context clock)',
        'operational: grant filters > getAll never returns expired grants',
        'operational: grant filters > getAll also returns consumed grants (core revokes families by them)',
        'operational: persisted grants > consume marks the grant consumed at the context clock, once',
        'operational: persisted grants > consume of an unknown or expired grant is not-found',
        'operational: persisted grants > get never returns an expired grant (context clock)',
        'operational: device codes > consume marks the record consumed at the context clock, once',
        'operational: replay cache > an id is forgotten once it expires (context clock)',
        'operational: user sessions > an expired, not yet purged key is free: create takes it',
        'operational: user sessions > get never returns an expired session (context clock)',
        'operational: user sessions > listBySubject returns the subject’s unexpired sessions, oldest first',
        'operational: user sessions > touch of an expired or unknown session is false',
        'operational: user sessions by sid > findBySessionId never returns an expired session (context clock)',
      ].sort(),
    )
    expect(
      failures.get('operational: persisted grants > get never returns an expired grant (context clock)'),
    ).toContain('at expiresAt (by the context clock) it is gone')
  }, 60_000)

  test('a removeAll that ignores part of the filter fails the filter tests that need it', async () => {
    const { failed } = await failuresOf(target(removeAllIgnoresFilter))
    const withSubjectAndMore = failed.filter((n) => /removeAll by subjectId\+/.test(n))
    expect(withSubjectAndMore.length).toBe(7)
    expect(failed).toEqual(withSubjectAndMore)
  }, 60_000)

  test('a filter that also matches look-alike subjects (a prefix, another case) fails the getAll tests by subject', async () => {
    const { failed } = await failuresOf(target(lookalikeFilter))
    expect(failed).toEqual(
      [
        'subjectId',
        'subjectId+clientId',
        'subjectId+sessionId',
        'subjectId+type',
        'subjectId+clientId+sessionId',
        'subjectId+clientId+type',
        'subjectId+sessionId+type',
        'subjectId+clientId+sessionId+type',
      ]
        .map((label) => `operational: grant filters > getAll by ${label} returns exactly the matching grants`)
        .sort(),
    )
  }, 60_000)

  test('a failure fits on a screen: the guarantee, then a few lines of what differs', async () => {
    const { failures } = await failuresOf(target(lookalikeFilter), (n) =>
      n.includes('getAll by subjectId returns'),
    )
    const message = failures.get(
      'operational: grant filters > getAll by subjectId returns exactly the matching grants',
    )!
    const lines = message.split('\n')
    expect(lines[0]).toBe(
      'getAll(subjectId) must return every grant matching all given fields and nothing else',
    )
    expect(lines.length).toBeLessThanOrEqual(8)
    // The look-alike the filter matched is named, not shown in a diff of twenty grants.
    expect(message).toMatch(/subjectId "alice-[^"]+\*%" matched look-alike "ALICE-[^"]+\*%"/)
    expect(message).toMatch(/matched look-alike "alice-[^"]+\*%:more"/)
  }, 60_000)

  test('optional fields returned as null: the root-cause test fails, and every failure it causes says so', async () => {
    const { failed, failures } = await failuresOf(target(nullOptionalFields))
    expect(failed).toContain(
      'operational: persisted grants > optional fields left out come back absent, not null',
    )
    expect(failed.length).toBeGreaterThan(5)
    for (const message of failures.values()) {
      expect(message.split('\n').length).toBeLessThanOrEqual(10)
      if (message.includes('got null')) expect(message).toContain('fix it first')
    }
  }, 60_000)

  test('keys without compare-and-set fail the update tests', async () => {
    const { failed } = await failuresOf(target(keysWithoutCas))
    expect(failed).toContain('keys > update writes only when the stored version matches')
    expect(failed.every((n) => n.startsWith('keys > '))).toBe(true)
  }, 60_000)

  test('a lock held per instance, over a backend instances share, fails the two-instance race', async () => {
    const { failed } = await failuresOf({
      plugin: perInstanceLock,
      options: () => ({ name: crypto.randomUUID() }),
      optOut: inOneProcess,
    })
    expect(failed).toEqual([
      'two instances on one backend > add() and update() racing from two instances: exactly one winner',
    ])
  }, 60_000)

  test('a plugin atomic in one process only (a synchronous read, then write) fails the cross-process race alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'portico-sync-sqlite-'))
    const { names, failed, failures } = await failuresOf({
      plugin: syncSqlite,
      options: () => ({ path: join(dir, `${crypto.randomUUID()}.db`) }),
      module: fixture('sync-sqlite/index.ts'),
    }).finally(() => rm(dir, { recursive: true, force: true }))
    const race = names.filter(crossProcessTest)
    expect(race).toHaveLength(1)
    expect(failed).toEqual(race)
    expect(failures.get(race[0]!)).toMatch(/: \d+ of \d+ records had more than one winner/)
  }, 60_000)

  test('without module or a named opt-out the cross-process race fails, asking for one', async () => {
    const { failed, failures } = await failuresOf({ ...target(memory), optOut: undefined }, crossProcessTest)
    expect(failed).toHaveLength(1)
    expect([...failures.values()][0]).toContain('give target.module')
  })

  test('a close() that keeps the database handle open fails the after-close test alone', async () => {
    const { failed, failures } = await failuresOf(target(closeKeepsHandle))
    expect(failed).toEqual([
      'lifecycle > after close() a store call of each role rejects with StoreUnavailableError',
    ])
    expect([...failures.values()][0]).toContain('expected the call to reject, but it resolved')
  }, 60_000)

  test('a close() that leaves a timer running fails the process-exit test', async () => {
    const { failed, failures } = await failuresOf(target(leakyClose, fixture('leaky-close.ts')), (n) =>
      n.includes('process that used the plugin exits'),
    )
    expect(failed).toEqual([
      'lifecycle > close() releases every handle: a process that used the plugin exits by itself',
    ])
    expect([...failures.values()][0]).toContain('still alive')
  }, 60_000)

  test('the example plugin in docs/plugins.md is the one test/conformance/example-plugin.test.ts proves', async () => {
    const docs = await readFile(new URL('../../docs/plugins.md', import.meta.url), 'utf8')
    const source = await readFile(fixture('jsonfile/index.ts'), 'utf8')
    const body = source.slice(source.indexOf('import '))
    expect(docs).toContain(`\`src/index.ts\`:\n\n\`\`\`ts\n${body}\`\`\``)
  })
})
