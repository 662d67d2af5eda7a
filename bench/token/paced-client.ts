/**
 * A bounded Bun load client over a fixed pool of keep-alive HTTP/1.1 connections. With
 * `rate` > 0 it schedules requests at a fixed rate (open loop) and measures each from its
 * scheduled time, queueing it when every connection is busy (no coordinated omission); with
 * `rate` 0 every connection sends its next request as soon as the last answer is in (closed
 * loop). The first second is load without measurement (the client's own warm-up). Prints one
 * JSON LoadResult.
 *
 * Raw sockets rather than fetch(): at ~3,000 req/s fetch() kept its core 100 % busy, so the
 * client's own queueing became the measured tail. The request bytes are built once; a reply
 * is read up to its Content-Length (the servers under test never chunk these bodies).
 */
import type { Socket } from 'bun'
import type { HttpRequestSpec, LoadResult } from './load.ts'

const { request, seconds, rate, connections } = JSON.parse(process.argv[2]!) as {
  request: HttpRequestSpec
  seconds: number
  rate: number
  connections: number
}

const url = new URL(request.url)

function wireOf(text: string | undefined): Buffer {
  const body = Buffer.from(text ?? '')
  const head = [
    `${request.method} ${url.pathname}${url.search} HTTP/1.1`,
    `host: ${url.host}`,
    ...Object.entries(request.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    ...(text !== undefined ? [`content-length: ${body.length}`] : []),
  ]
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body])
}

/** One-time requests, each sent once (built before the clock starts); else one request, reused. */
const wires = request.bodiesFile
  ? (await Bun.file(request.bodiesFile).text()).split('\n').filter(Boolean).map(wireOf)
  : undefined
const wire = wires ? undefined : wireOf(request.body)
let spent = 0
/** The next request's bytes; undefined once every one-time request is spent. */
const nextWire = (): Buffer | undefined => wire ?? wires![spent++]
const headerEnd = Buffer.from('\r\n\r\n')

interface Connection {
  socket: Socket<Connection>
  /** Scheduled start of the request in flight; undefined when idle. */
  scheduledAt: number | undefined
  buffered: Buffer
}

const latencies: number[] = []
let lastReply = 0
let answered = 0
let errors = 0
/** Scheduled start times waiting for an idle connection. */
const queue: number[] = []
let queued = 0
const idle: Connection[] = []

function send(connection: Connection, scheduledAt: number): void {
  const bytes = nextWire()
  if (bytes === undefined) {
    // Out of one-time requests: the run ends with the replies still in flight.
    end = Math.min(end, performance.now())
    if (rate > 0) idle.push(connection)
    return
  }
  connection.scheduledAt = scheduledAt
  connection.socket.write(bytes)
}

function dispatch(): void {
  while (idle.length > 0 && queued < queue.length) send(idle.pop()!, queue[queued++]!)
}

function finish(connection: Connection, ok: boolean): void {
  if (connection.scheduledAt === undefined) return
  answered++
  if (connection.scheduledAt >= measureFrom) {
    lastReply = performance.now()
    latencies.push(lastReply - connection.scheduledAt)
    if (!ok) errors++
  }
  connection.scheduledAt = undefined
  connection.buffered = Buffer.alloc(0)
  if (rate === 0) {
    if (performance.now() < end) send(connection, performance.now())
  } else {
    idle.push(connection)
    dispatch()
  }
}

/** Completes the reply in `connection.buffered` once its headers and body are all in. */
function onData(connection: Connection, chunk: Buffer): void {
  connection.buffered = connection.buffered.length === 0 ? chunk : Buffer.concat([connection.buffered, chunk])
  const buffered = connection.buffered
  const end = buffered.indexOf(headerEnd)
  if (end < 0) return
  const headers = buffered.subarray(0, end).toString('latin1')
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(headers)?.[1] ?? 0)
  if (buffered.length < end + 4 + length) return
  const status = Number(headers.slice(9, 12))
  // 304 answers a revalidation (If-None-Match): a success, as a 2xx.
  finish(connection, (status >= 200 && status < 300) || status === 304)
}

async function open(): Promise<Connection> {
  const connection = { scheduledAt: undefined, buffered: Buffer.alloc(0) } as unknown as Connection
  connection.socket = await Bun.connect<Connection>({
    hostname: url.hostname,
    port: Number(url.port),
    data: connection,
    socket: {
      data: (socket, chunk) => onData(socket.data, chunk),
      close: (socket) => finish(socket.data, false),
      error: (socket) => finish(socket.data, false),
    },
  })
  return connection
}

const pool = await Promise.all(Array.from({ length: connections }, open))
/** A fresh client runs cold (JIT, first writes) for its first ~150 ms: load, but do not record. */
const warmUpMs = 1000
const measureFrom = performance.now() + warmUpMs
const start = measureFrom - warmUpMs
let end = measureFrom + seconds * 1000

if (rate > 0) {
  idle.push(...pool)
  const interval = 1000 / rate
  let next = start
  while (performance.now() < end) {
    const now = performance.now()
    while (next <= now && next < end) {
      queue.push(next)
      next += interval
    }
    dispatch()
    await Bun.sleep(Math.max(0, Math.min(1, next - performance.now())))
  }
} else {
  for (const connection of pool) send(connection, performance.now())
  while (performance.now() < end) await Bun.sleep(Math.min(50, end - performance.now()))
}
// Wait (bounded) for the replies still in flight and the queue to drain.
const drainBy = performance.now() + 10_000
while (
  (queued < queue.length || pool.some((c) => c.scheduledAt !== undefined)) &&
  performance.now() < drainBy
) {
  await Bun.sleep(1)
}
errors += queue.length - queued + pool.filter((c) => c.scheduledAt !== undefined).length
for (const connection of pool) connection.socket.end()

// A run cut short by spent one-time requests lasted until its last reply.
const elapsed = ((end < measureFrom + seconds * 1000 ? lastReply : performance.now()) - measureFrom) / 1000
latencies.sort((a, b) => a - b)
const at = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN
const result: LoadResult = {
  requestsPerSecond: latencies.length / elapsed,
  p50Ms: at(0.5),
  p99Ms: at(0.99),
  errors,
  requests: latencies.length,
  answered,
}
console.log(JSON.stringify(result))
