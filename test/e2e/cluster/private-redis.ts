/**
 * A private `redis-server` for the cluster fault tests: a free port on 127.0.0.1, its own
 * temp directory, never the shared service at 6379.
 *
 * Durable by default (`appendonly yes`, `appendfsync always`): every write is on disk before
 * Redis answers it, so a `kill -9` and a restart keep every grant written before the outage,
 * as a production operational store configured for durability would.
 *
 * @example
 * const redis = await PrivateRedis.start()
 * await redis.kill()      // SIGKILL, resolves once the process is gone
 * await redis.restart()   // same port, same data; resolves once it answers PING
 * redis.pause()            // SIGSTOP: hangs with connections open; redis.resume() goes on
 * await redis.destroy()
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Subprocess, spawn } from 'bun'
import { freePort } from '../../plugins/fixtures/redis/namespace.ts'

const redisServer = process.env.PORTICO_TEST_REDIS_SERVER ?? '/usr/bin/redis-server'
const START_TIMEOUT_MS = 15_000

export interface PrivateRedisOptions {
  /** Append-only file fsynced on every write (default true); false: nothing survives a restart. */
  durable?: boolean
}

export class PrivateRedis {
  #process: Subprocess | undefined
  readonly #dir = mkdtempSync(join(tmpdir(), 'portico-cluster-redis-'))

  private constructor(
    readonly port: number,
    readonly durable: boolean,
  ) {}

  static async start(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
    const server = new PrivateRedis(await freePort(), options.durable ?? true)
    await server.restart()
    return server
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  get running(): boolean {
    return this.#process !== undefined
  }

  /** Starts redis-server (again) on the same port and resolves once it answers PING. */
  async restart(): Promise<void> {
    if (this.running) throw new Error('redis-server is already running')
    const persistence = this.durable
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no']
    // RDB snapshots off either way: the append-only file alone decides what survives.
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence]
    const child = spawn([redisServer, ...args, '--dir', this.#dir, '--daemonize', 'no'], {
      stdio: ['ignore', 'ignore', 'ignore'],
    })
    this.#process = child
    // A killed process has no exit code (only a signal), so its end is noted here.
    void child.exited.then(() => {
      if (this.#process === child) this.#process = undefined
    })
    const deadline = Date.now() + START_TIMEOUT_MS
    while (!(await answersPing(this.port))) {
      if (!this.running) throw new Error(`redis-server exited at start (port ${this.port})`)
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${this.port}`)
      await Bun.sleep(25)
    }
  }

  /** `kill -9`: no shutdown, no goodbye to clients. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.#process
    if (!child) return
    child.kill('SIGKILL')
    await child.exited
    this.#process = undefined
  }

  /**
   * SIGSTOP: the server hangs with its connections open, answering nothing, as behind a network
   * partition or in a long stall. `resume()` (SIGCONT) lets it go on.
   */
  pause(): void {
    this.#process?.kill('SIGSTOP')
  }

  resume(): void {
    this.#process?.kill('SIGCONT')
  }

  /** Kills the server and deletes its directory. */
  async destroy(): Promise<void> {
    await this.kill()
    rmSync(this.#dir, { recursive: true, force: true })
  }
}

/** True when a RESP PING on the port gets +PONG (a listening but loading Redis says -LOADING). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const done = (answer: boolean) => {
      socket.destroy()
      resolve(answer)
    }
    socket.setTimeout(1_000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
  })
}
