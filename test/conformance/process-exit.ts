/**
 * close() must release every socket and timer: a child process that opens the plugin, uses
 * each role once and closes it must then exit on its own, without `process.exit()`.
 */
import { spawn } from 'node:child_process'
import { isAbsolute } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Harness } from './harness.ts'

const exitAfterCloseMs = 5_000

const script = `
const [specifier, options, roles] = process.argv.slice(-3)
const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent }
;(async () => {
  const { default: plugin } = await import(specifier)
  const instance = await plugin.create(JSON.parse(options), {
    roles: JSON.parse(roles), clock: { now: () => Date.now() }, logger: silent,
  })
  if (instance.migrate) await instance.migrate()
  await instance.health()
  if (instance.configuration) await instance.configuration.clients.findClientById('probe')
  if (instance.operational) {
    await instance.operational.grants.get('probe')
    await instance.operational.replay.addIfAbsent('probe', Date.now() + 60000)
  }
  if (instance.keys) await instance.keys.list()
  await instance.close()
  process.stdout.write('closed\\n')
})().catch((error) => { console.error(error); process.exitCode = 1 })
`

export function processExitTest<O>(h: Harness<O>, module: string): void {
  const specifier = isAbsolute(module) ? pathToFileURL(module).href : module
  h.runner.test(
    'close() releases every handle: a process that used the plugin exits by itself',
    async () => {
      const options = await h.target.options()
      try {
        const outcome = await runChild(specifier, JSON.stringify(options), JSON.stringify(h.roles))
        if (outcome.kind === 'failed') {
          throw new Error(
            `the child process failed before close() (exit ${outcome.code}):\n${outcome.stderr}`,
          )
        }
        if (outcome.kind === 'hung') {
          throw new Error(
            `close() must release every connection, socket and timer: the process was still alive ${exitAfterCloseMs} ms after close() resolved`,
          )
        }
      } finally {
        await h.target.cleanup?.(options)
      }
    },
    60_000,
  )
}

type Outcome = { kind: 'exited' } | { kind: 'hung' } | { kind: 'failed'; code: number | null; stderr: string }

function runChild(specifier: string, options: string, roles: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script, specifier, options, roles], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let hangTimer: ReturnType<typeof setTimeout> | undefined
    const overall = setTimeout(() => {
      child.kill('SIGKILL')
      resolve({ kind: 'failed', code: null, stderr: `${stderr}\n(no close() within 45 s)` })
    }, 45_000)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (!hangTimer && stdout.includes('closed')) {
        hangTimer = setTimeout(() => {
          child.kill('SIGKILL')
          resolve({ kind: 'hung' })
        }, exitAfterCloseMs)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('exit', (code) => {
      clearTimeout(overall)
      clearTimeout(hangTimer)
      resolve(code === 0 && stdout.includes('closed') ? { kind: 'exited' } : { kind: 'failed', code, stderr })
    })
  })
}
