/**
 * Cold start: from spawning `bun run server` to the first 200 on /healthz, over a few runs on
 * a free port with the default store (libSQL) on a fresh database file each time, so every run
 * creates the schema and the first keys. Prints figures; asserts nothing.
 *
 *   bun bench/cold-start.ts [runs]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dir, '..')
const runs = Number(process.argv[2] ?? 7)

function freePort(): number {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = probe.port
  probe.stop(true)
  return port
}

async function coldStart(): Promise<number> {
  const port = freePort()
  const dir = mkdtempSync(join(tmpdir(), 'portico-cold-start-'))
  const started = performance.now()
  const child = Bun.spawn([process.execPath, 'run', '--silent', 'server'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      PORTICO_STORE: `file:${join(dir, 'portico.db')}`,
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
      if (ok) return performance.now() - started
      await Bun.sleep(2)
    }
    throw new Error('the server did not answer /healthz within 15 s')
  } finally {
    child.kill('SIGTERM')
    await child.exited
    rmSync(dir, { recursive: true, force: true })
  }
}

const samples: number[] = []
for (let i = 0; i < runs; i++) samples.push(await coldStart())
samples.sort((a, b) => a - b)
const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!
console.log(
  `cold start (bun run server -> first 200 on /healthz), ${runs} runs: ` +
    `min ${at(0).toFixed(0)} ms, median ${at(0.5).toFixed(0)} ms, max ${samples.at(-1)!.toFixed(0)} ms`,
)
