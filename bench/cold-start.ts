/**
 * Cold start: from spawning `bun run server` to the first 200 on /healthz, on a free port with
 * the default store (libSQL), in two cases, alternated run by run so machine noise hits both:
 * - empty: a fresh database file each run, so every run creates the schema and the first keys;
 * - existing: one database file prepared by a first start (schema, seed and keys in place), as
 *   on every restart. Prints figures; asserts nothing.
 *
 *   bun bench/cold-start.ts [runs]     (default 10 of each)
 *
 * PORTICO_COLD_START_CASES=existing (or empty) runs one case only.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dir, '..')
const runs = Number(process.argv[2] ?? 10)
const cases = new Set((process.env.PORTICO_COLD_START_CASES ?? 'empty,existing').split(','))

function freePort(): number {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = probe.port
  probe.stop(true)
  return port
}

/**
 * CPU milliseconds (user + system) used so far by `pid` and its descendants (`bun run` starts
 * the server as a child): on a shared machine a steadier figure than the wall time, which
 * includes waiting for a core. NaN without /proc.
 */
function treeCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    let ticks = Number(fields[11]) + Number(fields[12])
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim()
      for (const child of children ? children.split(' ') : []) ticks += treeCpuMs(Number(child)) / 10
    }
    return ticks * 10
  } catch {
    return Number.NaN
  }
}

interface Sample {
  wallMs: number
  cpuMs: number
}

/** From the spawn to the first 200 on /healthz, with the store at `database`. */
async function coldStart(database: string): Promise<Sample> {
  const port = freePort()
  const started = performance.now()
  const child = Bun.spawn([process.execPath, 'run', '--silent', 'server'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      PORTICO_STORE: `file:${database}`,
    },
    stdout: 'ignore',
    stderr: 'inherit',
  })
  try {
    const deadline = started + 15_000
    while (performance.now() < deadline) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`)
        .then((response) => response.status === 200)
        .catch(() => false)
      if (ok) return { wallMs: performance.now() - started, cpuMs: treeCpuMs(child.pid) }
      await Bun.sleep(2)
    }
    throw new Error('the server did not answer /healthz within 15 s')
  } finally {
    child.kill('SIGTERM')
    await child.exited
  }
}

async function emptyDatabase(): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-cold-start-'))
  try {
    return await coldStart(join(dir, 'portico.db'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const existingDir = mkdtempSync(join(tmpdir(), 'portico-cold-start-existing-'))
const existing = join(existingDir, 'portico.db')
const samples: Record<'empty' | 'existing', Sample[]> = { empty: [], existing: [] }
try {
  // The first start creates the schema, the standard identity resources and the keys.
  if (cases.has('existing')) await coldStart(existing)
  for (let i = 0; i < runs; i++) {
    if (cases.has('empty')) samples.empty.push(await emptyDatabase())
    if (cases.has('existing')) samples.existing.push(await coldStart(existing))
  }
} finally {
  rmSync(existingDir, { recursive: true, force: true })
}

const targets = { empty: 1000, existing: 300 }
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!
for (const name of ['existing', 'empty'] as const) {
  const runs = samples[name]
  if (runs.length === 0) continue
  const wall = runs.map((run) => run.wallMs).sort((a, b) => a - b)
  console.log(
    `cold start, ${name} database (bun run server -> first 200 on /healthz), ${wall.length} runs: ` +
      `min ${wall[0]!.toFixed(0)} ms, median ${median(wall).toFixed(0)} ms, max ${wall.at(-1)!.toFixed(0)} ms ` +
      `(target <= ${targets[name]} ms); CPU by then, median ${median(runs.map((run) => run.cpuMs)).toFixed(0)} ms`,
  )
}
