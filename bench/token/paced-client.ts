/**
 * A bounded Bun load client. With `rate` > 0 it starts requests on a fixed schedule (open
 * loop) and measures each from its scheduled time; with `rate` 0 it keeps `connections`
 * requests in flight (closed loop). Prints one JSON LoadResult.
 */
import type { HttpRequestSpec, LoadResult } from './load.ts'

const { request, seconds, rate, connections } = JSON.parse(process.argv[2]!) as {
  request: HttpRequestSpec
  seconds: number
  rate: number
  connections: number
}

const latencies: number[] = []
let errors = 0
const init: RequestInit = { method: request.method, headers: request.headers, body: request.body }

async function once(scheduledAt: number): Promise<void> {
  try {
    const response = await fetch(request.url, init)
    await response.arrayBuffer()
    if (response.status >= 300) errors++
  } catch {
    errors++
  }
  latencies.push(performance.now() - scheduledAt)
}

const start = performance.now()
const end = start + seconds * 1000
if (rate > 0) {
  const interval = 1000 / rate
  const inflight = new Set<Promise<void>>()
  let next = start
  while (performance.now() < end) {
    const now = performance.now()
    while (next <= now && next < end) {
      const p = once(next)
      inflight.add(p)
      p.finally(() => inflight.delete(p))
      next += interval
    }
    await Bun.sleep(Math.max(0, Math.min(1, next - performance.now())))
  }
  await Promise.all(inflight)
} else {
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) await once(performance.now())
    }),
  )
}

const elapsed = (performance.now() - start) / 1000
latencies.sort((a, b) => a - b)
const at = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN
const result: LoadResult = {
  requestsPerSecond: latencies.length / elapsed,
  p50Ms: at(0.5),
  p99Ms: at(0.99),
  errors,
  requests: latencies.length,
}
console.log(JSON.stringify(result))
