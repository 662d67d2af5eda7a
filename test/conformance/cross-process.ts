/**
 * Rule 3 of the contract: one-time operations are atomic across every instance sharing the
 * backend, and those instances are separate processes. A plugin can keep its promise inside one
 * process by accident: a synchronous driver reading, then writing, with no `await` between,
 * never interleaves with itself, but does with another process. So several processes, each with
 * its own instance of the plugin (racer.ts), race the same records round by round, and every
 * record must have exactly one winner.
 */
import { spawn } from 'node:child_process'
import { isAbsolute } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { PluginInstance } from '../../core/index.ts'
import { aDeviceCode, aGrant, aKey, hour, uniqueId } from './fixtures.ts'
import type { Harness } from './harness.ts'
import type { RacePlan, RaceResults } from './race-plan.ts'
import { TestClock } from './test-clock.ts'

/** Racing processes: more than the cores of a small CI machine, so they also preempt each other. */
const processes = 4
/** Records of each kind raced; enough for a read-then-write across processes to lose several. */
const rounds = 250
/**
 * Each round starts in every process at the same instant, `slotMs` after the last: processes
 * that drifted apart would each find the records already decided and never collide.
 */
const slotMs = 3

const racer = fileURLToPath(new URL('./racer.ts', import.meta.url))

export function crossProcessTests<O>(h: Harness<O>): void {
  const kinds = [
    ...(h.roles.includes('operational')
      ? ['grants.consume', 'deviceCodes.consume', 'deviceCodes.authorize/deny', 'replay.addIfAbsent']
      : []),
    ...(h.roles.includes('keys') ? ['keys.add', 'keys.update'] : []),
  ]
  if (kinds.length === 0) return
  const name = `${kinds.join(', ')} raced from ${processes} processes: exactly one winner each time`
  if (h.target.optOut?.crossProcess !== undefined) return
  const { module } = h.target
  h.runner.test(
    name,
    async () => {
      if (module === undefined) {
        throw new Error(
          'one-time operations must be atomic across processes: give target.module (the plugin module) so the kit can race it from several processes, or opt out with target.optOut.crossProcess = "<why>" for a backend no two processes share',
        )
      }
      const options = await h.target.options()
      const run = uniqueId('race')
      try {
        const key = await seed(h, options, run)
        const plans = Array.from(
          { length: processes },
          (_, i): RacePlan => ({
            run,
            rounds,
            startAt: 0,
            slotMs,
            process: i,
            expiresAt: Date.now() + hour,
            key,
          }),
        )
        const results = await race(
          isAbsolute(module) ? pathToFileURL(module).href : module,
          options,
          h.roles,
          plans,
        )
        const problems = kinds.flatMap((kind) => tally(kind, results))
        if (problems.length > 0) {
          throw new Error(
            `one-time operations must be atomic across processes: ${processes} processes, each with its own instance, raced ${rounds} records of each kind\n${problems.join('\n')}`,
          )
        }
      } finally {
        await h.target.cleanup?.(options)
      }
    },
    60_000,
  )
}

/** Stores every raced record through one instance (migrating first); the key fields to race with. */
async function seed<O>(h: Harness<O>, options: O, run: string) {
  const now = Date.now()
  const instance: PluginInstance = await h.create(options, h.roles, new TestClock())
  try {
    await instance.migrate?.()
    const key = aKey(now, { version: 1 })
    const writes: (() => Promise<unknown>)[] = []
    for (let round = 0; round < rounds; round++) {
      const id = `${run}:${round}`
      const { operational, keys } = instance
      if (operational) {
        writes.push(
          () => operational.grants.store(aGrant(now, { key: `${id}:grant`, type: 'authorization_code' })),
          () => operational.deviceCodes.store(aDeviceCode(now, { deviceCodeKey: `${id}:device` })),
          () =>
            operational.deviceCodes.store(
              aDeviceCode(now, { deviceCodeKey: `${id}:decided`, userCode: `${id}:user` }),
            ),
        )
      }
      if (keys) writes.push(() => keys.add({ ...key, id: `${id}:key` }))
    }
    // A few at a time: seeding should not be the slow part, nor exhaust a small pool.
    for (let i = 0; i < writes.length; i += 16) await Promise.all(writes.slice(i, i + 16).map((w) => w()))
    return key
  } finally {
    await instance.close()
  }
}

/** Which processes won each round of `kind`; one line per kind that went wrong. */
function tally(kind: string, results: RaceResults[]): string[] {
  const many: string[] = []
  let none = 0
  for (let round = 0; round < rounds; round++) {
    const winners = results.flatMap((r, process) => (r[kind]?.[round] ? [process] : []))
    if (winners.length === 0) none++
    if (winners.length > 1) many.push(`round ${round}: processes ${winners.join(' and ')}`)
  }
  const lines: string[] = []
  if (many.length > 0) {
    lines.push(
      `  ${kind}: ${many.length} of ${rounds} records had more than one winner (${many.slice(0, 3).join('; ')}${many.length > 3 ? '; …' : ''})`,
    )
  }
  if (none > 0) lines.push(`  ${kind}: ${none} of ${rounds} records had no winner at all`)
  return lines
}

/** Starts the processes, lets them all go at once when every one is ready, gathers their results. */
function race(
  specifier: string,
  options: unknown,
  roles: readonly string[],
  plans: RacePlan[],
): Promise<RaceResults[]> {
  const children = plans.map(() =>
    spawn(process.execPath, [racer, specifier, JSON.stringify(options), JSON.stringify(roles)], {
      cwd: process.cwd(),
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  )
  let ready = 0
  const outcomes = children.map(
    (child, i) =>
      new Promise<RaceResults>((resolve, reject) => {
        let stdout = ''
        let stderr = ''
        let announced = false
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString()
          if (!announced && stdout.startsWith('ready\n')) {
            announced = true
            if (++ready === children.length) {
              // Every process starts round 0 at the same instant, a moment after the plans arrive.
              const startAt = performance.timeOrigin + performance.now() + 50
              for (const [j, c] of children.entries()) {
                c.stdin.write(`${JSON.stringify({ ...plans[j], startAt })}\n`)
              }
            }
          }
        })
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString()
        })
        child.on('exit', (code) => {
          const line = stdout.split('\n')[1]
          if (code === 0 && line) return resolve(JSON.parse(line) as RaceResults)
          reject(
            new Error(
              `racing process ${i} failed (exit ${code}):\n${stderr.trim().split('\n').slice(0, 8).join('\n')}`,
            ),
          )
        })
      }),
  )
  const deadline = setTimeout(() => {
    for (const child of children) child.kill('SIGKILL')
  }, 45_000)
  return Promise.all(outcomes).finally(() => {
    clearTimeout(deadline)
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  })
}
