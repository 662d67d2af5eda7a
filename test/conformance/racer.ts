/**
 * One racing process of the cross-process atomicity test (cross-process.ts). It opens its own
 * instance of the plugin, says `ready`, waits for the plan on stdin, runs it round by round as
 * fast as it can, prints which calls it won as one JSON line, closes the instance and exits.
 *
 * Usage: bun racer.ts <module specifier> <options JSON> <roles JSON>
 */
import type { PluginInstance, StorePlugin } from '../../core/index.ts'
import type { RacePlan, RaceResults } from './race-plan.ts'

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent }

async function firstLine(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin) {
    text += String(chunk)
    const end = text.indexOf('\n')
    if (end >= 0) return text.slice(0, end)
  }
  throw new Error('stdin closed before the plan arrived')
}

/** The wall clock to the microsecond, the same in every process (both derive from the system clock). */
const now = () => performance.timeOrigin + performance.now()

/**
 * Waits for an instant shared by every racing process: a timer for most of the way, then a
 * short spin, so all of them start a round within microseconds of each other. A round that
 * overran its slot starts at once.
 */
async function until(instant: number): Promise<void> {
  const sleep = instant - now() - 1
  if (sleep > 0) await new Promise((resolve) => setTimeout(resolve, sleep))
  while (now() < instant) {
    // spin: a timer alone wakes a millisecond late or early
  }
}

async function run(instance: PluginInstance, plan: RacePlan): Promise<RaceResults> {
  const results: RaceResults = {}
  const won = (kind: string, round: number, win: boolean) => {
    results[kind] ??= []
    results[kind][round] = win
  }
  const operational = instance.operational
  const keys = instance.keys
  for (let round = 0; round < plan.rounds; round++) {
    await until(plan.startAt + round * plan.slotMs)
    const id = `${plan.run}:${round}`
    const calls: Promise<unknown>[] = []
    if (operational) {
      calls.push(
        operational.grants
          .consume(`${id}:grant`)
          .then((r) => won('grants.consume', round, r.outcome === 'consumed')),
        operational.deviceCodes
          .consume(`${id}:device`)
          .then((r) => won('deviceCodes.consume', round, r.outcome === 'consumed')),
        (plan.process % 2 === 0
          ? operational.deviceCodes.authorize(`${id}:user`, {
              subjectId: `racer-${plan.process}`,
              data: '{}',
            })
          : operational.deviceCodes.deny(`${id}:user`)
        ).then((ok) => won('deviceCodes.authorize/deny', round, ok)),
        operational.replay
          .addIfAbsent(`${id}:jti`, plan.expiresAt)
          .then((ok) => won('replay.addIfAbsent', round, ok)),
      )
    }
    if (keys) {
      const record = { ...plan.key, data: `written by process ${plan.process}` }
      calls.push(
        keys.add({ ...record, id: `${id}:new-key` }).then((ok) => won('keys.add', round, ok)),
        keys
          .update({ ...record, id: `${id}:key`, version: 2 }, 1)
          .then((ok) => won('keys.update', round, ok)),
      )
    }
    await Promise.all(calls)
  }
  return results
}

const [specifier, options, roles] = process.argv.slice(-3) as [string, string, string]
const { default: plugin } = (await import(specifier)) as { default: StorePlugin<unknown> }
const instance = await plugin.create(JSON.parse(options), {
  roles: JSON.parse(roles),
  clock: { now: () => Date.now() },
  logger: silent,
})
try {
  process.stdout.write('ready\n')
  const results = await run(instance, JSON.parse(await firstLine()) as RacePlan)
  process.stdout.write(`${JSON.stringify(results)}\n`)
} finally {
  await instance.close()
  process.stdin.destroy()
}
