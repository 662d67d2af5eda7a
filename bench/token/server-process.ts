/**
 * A server under test in its own process, pinned to core 0, with its resident memory readable.
 * Its stdout (the per-request log lines) goes to /dev/null, so log writes never wait on a reader.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { pinned } from './load.ts'

export interface ServerProcess {
  pid: number
  /** Resident set size now, in MB (Linux /proc; NaN elsewhere). */
  rssMb(): number
  /**
   * The largest resident set size since the start or the last `resetPeakRss()`, in MB (the
   * kernel's VmHWM, so a spike between two samples, e.g. one argon2id hash, is not missed).
   */
  peakRssMb(): number
  /** Starts a new peak (`5` into /proc/<pid>/clear_refs); false where the kernel refuses. */
  resetPeakRss(): boolean
  /** CPU seconds (user + system) the process has used so far (Linux /proc; NaN elsewhere). */
  cpuSeconds(): number
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
    rssMb: () => statusMb(proc.pid, 'VmRSS'),
    peakRssMb: () => statusMb(proc.pid, 'VmHWM'),
    cpuSeconds() {
      try {
        const fields = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
        return (Number(fields[11]) + Number(fields[12])) / 100
      } catch {
        return Number.NaN
      }
    },
    resetPeakRss() {
      try {
        writeFileSync(`/proc/${proc.pid}/clear_refs`, '5')
        return true
      } catch {
        return false
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

/** A memory figure of /proc/<pid>/status in MB (NaN where there is no /proc). */
function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024
  } catch {
    return Number.NaN
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
