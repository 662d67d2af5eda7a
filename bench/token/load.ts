/**
 * Load on loopback, bounded in time. `wrk` (closed loop, many connections) finds the peak;
 * the paced client (bench/token/paced-client.ts) holds a fixed rate to measure latency at a
 * given load. Without wrk on the machine, the paced client's closed-loop mode stands in.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface HttpRequestSpec {
  method: 'GET' | 'POST'
  url: string
  headers?: Record<string, string>
  body?: string
  /**
   * A file of one-time bodies, one per line (e.g. token requests each spending its own
   * authorization code): each request sends the next; the run ends early when they run out.
   * Only the paced client reads it (wrk sends one body).
   */
  bodiesFile?: string
}

export interface LoadResult {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** Responses that were not 2xx, and socket errors. */
  errors: number
  requests: number
  /**
   * Every reply the server gave, the paced client's warm-up second included: what a server's
   * CPU time over the whole run divides by. (wrk has no warm-up: the same as `requests`.)
   */
  answered?: number
}

const scripts = mkdtempSync(join(tmpdir(), 'portico-bench-'))
const hasWrk = Bun.which('wrk') !== null
const hasTaskset = Bun.which('taskset') !== null

/** The command prefixed to pin it to `cpu` when taskset exists and the machine has that core. */
export function pinned(command: string[], cpu: number): string[] {
  const cores = navigator.hardwareConcurrency ?? 1
  return hasTaskset && cpu < cores ? ['taskset', '-c', String(cpu), ...command] : command
}

export const loadGenerator = hasWrk ? 'wrk' : 'bun paced-client (closed loop, raw sockets)'

/** Peak throughput with `connections` in flight for `seconds`. */
export async function peak(request: HttpRequestSpec, seconds: number, connections = 32): Promise<LoadResult> {
  if (!hasWrk) return paced(request, seconds, 0, connections)
  const script = join(scripts, `${crypto.randomUUID()}.lua`)
  const lua = [
    `wrk.method = ${JSON.stringify(request.method)}`,
    ...(request.body !== undefined ? [`wrk.body = ${JSON.stringify(request.body)}`] : []),
    ...Object.entries(request.headers ?? {}).map(
      ([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`,
    ),
    'done = function(summary) io.write(string.format("NON2XX %d\\n", summary.errors.status)) end',
  ].join('\n')
  writeFileSync(script, lua)
  const command = pinned(
    ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, request.url],
    1,
  )
  const proc = Bun.spawn(command, { stdout: 'pipe', stderr: 'pipe' })
  const out = await new Response(proc.stdout).text()
  await proc.exited
  return parseWrk(out)
}

function parseWrk(out: string): LoadResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0)
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0)
  const non2xx = Number(/NON2XX (\d+)/.exec(out)?.[1] ?? 0)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0
  return {
    requestsPerSecond: rps,
    p50Ms: wrkLatency(out, '50%'),
    p99Ms: wrkLatency(out, '99%'),
    errors: non2xx + socketErrors,
    requests,
  }
}

function wrkLatency(out: string, percentile: string): number {
  const match = new RegExp(`\\s${percentile}\\s+([\\d.]+)(us|ms|s)`).exec(out)
  if (!match) return Number.NaN
  const value = Number(match[1])
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value
}

/**
 * A fixed rate (`rate` req/s; 0 = closed loop with `connections` in flight) from a separate
 * process on the other core. Latency counts from each request's scheduled start, so a stalled
 * server cannot hide its queueing (no coordinated omission).
 */
export async function paced(
  request: HttpRequestSpec,
  seconds: number,
  rate: number,
  connections = 64,
): Promise<LoadResult> {
  const client = new URL('./paced-client.ts', import.meta.url).pathname
  const command = pinned(
    [process.execPath, client, JSON.stringify({ request, seconds, rate, connections })],
    1,
  )
  const proc = Bun.spawn(command, { stdout: 'pipe', stderr: 'inherit' })
  const out = await new Response(proc.stdout).text()
  await proc.exited
  return JSON.parse(out) as LoadResult
}
