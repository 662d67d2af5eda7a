/**
 * Several real Portico server processes sharing one deployment, as an operator runs them behind a
 * load balancer: configuration and keys on Postgres (a fresh schema per cluster), operational
 * data on Redis (a fresh key prefix), one fixed issuer, `trustProxy` 127.0.0.1 and one
 * `PORTICO_KEY_SECRET`. Each instance listens on its own port, fixed for its whole life so a
 * balancer's upstream list stays right across restarts.
 *
 * API (small on purpose; the fault tests build on it):
 * - `startCluster({ count, issuer, seed?, config?, postgresUrl?, redisUrl?, env? })` starts
 *   `count` processes at the same moment and resolves once every one logged `server.started`
 *   and answers `/healthz` and `/readyz`.
 * - `cluster.instances[i]`: `url` (direct, bypassing the balancer), `port`, `lines` (every
 *   stdout line, JSON log lines, across restarts), `stderr`, `requests()` (the parsed `request`
 *   log lines: which instance served what), `running`, `kill(signal)` (resolves with the exit
 *   status), `start()` / `restart()` (same port, same config), `waitReady()`.
 * - `cluster.requestCounts()`: request lines per instance, to diff around a flow.
 * - `cluster.postgres` / `cluster.redis`: the namespace the instances use, to look behind them.
 * - `cluster.close()`: kills what runs and drops the schema and the key prefix.
 *
 * @example
 * const cluster = await startCluster({ count: 3, issuer: 'http://127.0.0.1:8080', seed })
 * await cluster.instances[1]!.kill('SIGKILL')
 * await cluster.instances[1]!.restart()
 * await cluster.close()
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dropPrefix, freePort, sharedRedisUrl } from '../../plugins/fixtures/redis/namespace.ts'
import { dropSchema, postgresUrl, randomSchema } from '../../plugins/fixtures/sql/namespace.ts'
import { repoRoot } from '../../server/fixtures/process.ts'

/** One JSON log line an instance wrote for a request (server/middleware/request-log.ts). */
export interface RequestLine {
  time: string
  method: string
  route: string | null
  status: number
  request_id: string
}

export interface Instance {
  readonly index: number
  readonly port: number
  /** `http://127.0.0.1:<port>`: the instance itself, not the balancer. */
  readonly url: string
  /** Every stdout line since the first start, across restarts. */
  readonly lines: string[]
  /** Every stderr chunk since the first start. */
  readonly stderr: string[]
  readonly running: boolean
  /** The `request` log lines, parsed. */
  requests(): RequestLine[]
  /** Sends `signal` (default SIGTERM) and resolves with the exit status (SIGKILL after 20 s). */
  kill(signal?: NodeJS.Signals): Promise<number>
  /** Starts the process (when not running) and resolves once it logged `server.started`. */
  start(): Promise<void>
  /** `kill('SIGTERM')` when running, then `start()` and `waitReady()`. */
  restart(): Promise<void>
  /** Polls `/healthz` and `/readyz` until both answer 200. */
  waitReady(timeoutMs?: number): Promise<void>
}

export interface ClusterOptions {
  count: number
  /** The fixed public origin: the balancer's URL. */
  issuer: string
  /** The config's `seed` section. */
  seed?: Record<string, unknown>
  /** Top-level config keys laid over the generated ones (e.g. `signing`, `cache`). */
  config?: Record<string, unknown>
  /** Postgres server for configuration and keys (default the shared test database). */
  postgresUrl?: string
  /** Redis server for operational data (default the shared test Redis). */
  redisUrl?: string
  /** Extra environment for every process. */
  env?: Record<string, string>
  /** How long a start may take on a loaded machine (default 60 s). */
  startTimeoutMs?: number
}

export interface Cluster {
  instances: Instance[]
  issuer: string
  /** The config file every instance reads. */
  configPath: string
  postgres: { url: string; schema: string }
  redis: { url: string; prefix: string }
  requestCounts(): number[]
  close(): Promise<void>
}

/** One key secret for every instance (32 random bytes, base64url, as `portico keys new-secret` makes). */
export const clusterKeySecret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-cluster-'))
  const postgres = { url: options.postgresUrl ?? postgresUrl, schema: randomSchema() }
  const redis = {
    url: options.redisUrl ?? sharedRedisUrl,
    prefix: `portico-cluster:${crypto.randomUUID().slice(0, 8)}:`,
  }
  const config = {
    issuer: options.issuer,
    hostname: '127.0.0.1',
    trustProxy: ['127.0.0.1'],
    stores: {
      configuration: { plugin: 'postgres', options: { ...postgres, poolSize: 4 } },
      operational: { plugin: 'redis', options: redis },
      keys: { plugin: 'postgres', options: { ...postgres, poolSize: 4 } },
    },
    ...(options.seed ? { seed: options.seed } : {}),
    ...options.config,
  }
  const configPath = join(dir, 'portico.json')
  writeFileSync(configPath, JSON.stringify(config, null, 2))
  const ports = await distinctFreePorts(options.count)
  const instances = ports.map(
    (port, index) =>
      new InstanceProcess(
        index,
        port,
        configPath,
        dir,
        {
          PORTICO_KEY_SECRET: clusterKeySecret,
          ...options.env,
        },
        options.startTimeoutMs ?? 60_000,
      ),
  )
  const cluster: Cluster = {
    instances,
    issuer: options.issuer,
    configPath,
    postgres,
    redis,
    requestCounts: () => instances.map((instance) => instance.requests().length),
    async close() {
      await Promise.all(instances.map((instance) => instance.running && instance.kill('SIGKILL')))
      // Best effort: a fault test may have left a store down.
      await Promise.allSettled([dropSchema(postgres), dropPrefix(redis)])
      rmSync(dir, { recursive: true, force: true })
    },
  }
  try {
    // The same moment: their key rings race on the empty keys store, as real deployments do.
    await Promise.all(instances.map((instance) => instance.start()))
    await Promise.all(instances.map((instance) => instance.waitReady()))
  } catch (error) {
    await cluster.close()
    throw error
  }
  return cluster
}

class InstanceProcess implements Instance {
  readonly url: string
  readonly lines: string[] = []
  readonly stderr: string[] = []
  private proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'> | undefined

  constructor(
    readonly index: number,
    readonly port: number,
    private readonly configPath: string,
    private readonly cwd: string,
    private readonly env: Record<string, string>,
    private readonly startTimeoutMs: number,
  ) {
    this.url = `http://127.0.0.1:${port}`
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null
  }

  requests(): RequestLine[] {
    const found: RequestLine[] = []
    for (const line of this.lines) {
      if (!line.includes('"event":"request"')) continue
      const parsed = parseLine(line)
      if (parsed?.event === 'request') found.push(parsed as unknown as RequestLine)
    }
    return found
  }

  async start(): Promise<void> {
    if (this.running) return
    const proc = Bun.spawn(
      [process.execPath, join(repoRoot, 'server/main.ts'), '--config', this.configPath],
      {
        cwd: this.cwd,
        // Only what the test sets: the developer's own PORTICO_* never leaks in.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          PORT: String(this.port),
          ...this.env,
        },
        stdin: 'ignore',
        stdout: 'pipe',
        stderr: 'pipe',
      },
    )
    this.proc = proc
    const started = Promise.withResolvers<void>()
    const from = this.lines.length
    this.drain(proc.stdout, (line) => {
      this.lines.push(line)
      if (line.includes('"event":"server.started"')) started.resolve()
    })
    this.drain(proc.stderr, (line) => this.stderr.push(line))
    const timer = setTimeout(() => {
      proc.kill('SIGKILL')
      started.reject(this.failure(`did not start within ${this.startTimeoutMs} ms`, from))
    }, this.startTimeoutMs)
    proc.exited.then((code) => started.reject(this.failure(`exited with ${code} before starting`, from)))
    try {
      await started.promise
    } finally {
      clearTimeout(timer)
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<number> {
    const proc = this.proc
    if (!proc) throw new Error(`instance ${this.index} was never started`)
    const killer = setTimeout(() => proc.kill('SIGKILL'), 20_000)
    proc.kill(signal)
    const code = await proc.exited
    clearTimeout(killer)
    return code
  }

  async restart(): Promise<void> {
    if (this.running) await this.kill('SIGTERM')
    await this.start()
    await this.waitReady()
  }

  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    let last = ''
    while (Date.now() < deadline) {
      if (!this.running) throw this.failure('is not running', 0)
      try {
        const [health, ready] = await Promise.all([
          fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(5000) }),
          fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(5000) }),
        ])
        last = `healthz ${health.status}, readyz ${ready.status} ${await ready.text()}`
        await health.body?.cancel()
        if (health.status === 200 && ready.status === 200) return
      } catch (error) {
        last = (error as Error).message
      }
      await Bun.sleep(100)
    }
    throw new Error(`instance ${this.index} not ready within ${timeoutMs} ms (${last})`)
  }

  private failure(what: string, from: number): Error {
    return new Error(
      `instance ${this.index} (port ${this.port}) ${what}:\n${this.lines.slice(from).join('\n')}\n${this.stderr.join('\n')}`,
    )
  }

  private drain(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): void {
    ;(async () => {
      const decoder = new TextDecoder()
      let buffered = ''
      for await (const chunk of stream) {
        buffered += decoder.decode(chunk, { stream: true })
        let newline = buffered.indexOf('\n')
        while (newline >= 0) {
          onLine(buffered.slice(0, newline))
          buffered = buffered.slice(newline + 1)
          newline = buffered.indexOf('\n')
        }
      }
      if (buffered) onLine(buffered)
    })().catch(() => {})
  }
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>
  } catch {
    return undefined
  }
}

/** Free ports, none twice (each is bound and released in turn, so the OS may hand one out again). */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>()
  while (ports.size < count) ports.add(await freePort())
  return [...ports]
}
