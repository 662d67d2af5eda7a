/**
 * A server under test in its own process, pinned to core 0, with its resident memory readable.
 * Its stdout (the per-request log lines) goes to /dev/null, so log writes never wait on a reader.
 */
import { readFileSync } from 'node:fs'
import { pinned } from './load.ts'

export interface ServerProcess {
  pid: number
  /** Resident set size now, in MB (Linux /proc; NaN elsewhere). */
  rssMb(): number
  stop(): Promise<void>
}

export async function startServer(
  command: string[],
  readyUrl: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const proc = Bun.spawn(pinned(command, 0), {
    env: { ...process.env, ...env },
    stdout: 'ignore',
    stderr: 'pipe',
  })
  // Read stderr as it comes: an undrained pipe fills at 64 KB and then blocks the server's writes.
  let stderrTail = ''
  const drained = (async () => {
    const decoder = new TextDecoder()
    for await (const chunk of proc.stderr) {
      stderrTail = (stderrTail + decoder.decode(chunk, { stream: true })).slice(-16_384)
    }
  })()
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      if ((await fetch(readyUrl)).ok) break
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill()
      await drained
      throw new Error(`server did not start: ${command.join(' ')}\n${stderrTail}`)
    }
    await Bun.sleep(50)
  }
  return {
    pid: proc.pid,
    rssMb() {
      try {
        const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8')
        return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024
      } catch {
        return Number.NaN
      }
    },
    async stop() {
      proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000)
      await proc.exited
      clearTimeout(timer)
      await drained
    },
  }
}

/** The largest RSS seen while `work` runs, sampled every 100 ms. */
export async function peakRss<T>(
  server: ServerProcess,
  work: () => Promise<T>,
): Promise<{ result: T; rssMb: number }> {
  let max = server.rssMb()
  const timer = setInterval(() => {
    max = Math.max(max, server.rssMb())
  }, 100)
  try {
    const result = await work()
    return { result, rssMb: Math.max(max, server.rssMb()) }
  } finally {
    clearInterval(timer)
  }
}
