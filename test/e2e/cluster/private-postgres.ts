/**
 * A private Postgres cluster for the cluster fault tests: `initdb` into a temp directory, served
 * by `pg_ctl` on a free port of 127.0.0.1 with its unix socket in that directory, trust
 * authentication for `root`. Never the shared service at 5432. Make one per test file (initdb
 * takes a second or two).
 *
 * Postgres refuses to run as root, so its binaries run as the `postgres` OS user
 * (`runuser -u postgres --`), which owns the directory. Every call is asynchronous, so a test's
 * load keeps running while the server stops or starts.
 *
 * @example
 * const pg = await PrivatePostgres.start()
 * await pg.stop()      // pg_ctl stop -m immediate: connections cut, as in a crash
 * await pg.restart()   // same port; committed data is recovered from the WAL
 * const pids = pg.freeze(); pg.thaw(pids)   // SIGSTOP / SIGCONT: a server that hangs
 * await pg.destroy()
 */

import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { spawn } from 'bun'
import { freePort } from '../../plugins/fixtures/redis/namespace.ts'

/** The directory of initdb and pg_ctl: PORTICO_TEST_PG_BIN, /usr/local/bin's links, or Debian's newest. */
function binDir(): string {
  const given = process.env.PORTICO_TEST_PG_BIN
  if (given) return given
  if (existsSync('/usr/local/bin/pg_ctl')) return dirname(realpathSync('/usr/local/bin/pg_ctl'))
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((name) => existsSync(join('/usr/lib/postgresql', name, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (!versions[0]) throw new Error('no pg_ctl found: set PORTICO_TEST_PG_BIN')
  return join('/usr/lib/postgresql', versions[0], 'bin')
}

export class PrivatePostgres {
  readonly #bin = binDir()

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'portico-cluster-pg-'))
    const server = new PrivatePostgres(dir, await freePort())
    if (process.getuid?.() === 0) {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim())
      chownSync(dir, id('-u'), id('-g'))
    }
    // --no-sync: a throwaway cluster need not wait for the disk at creation.
    await server.#run('initdb', [
      '-D',
      server.#data,
      '-U',
      'root',
      '-A',
      'trust',
      '--no-sync',
      '--no-instructions',
    ])
    await server.restart()
    return server
  }

  get #data(): string {
    return join(this.dir, 'data')
  }

  /** `root` with trust authentication on the default database. */
  get url(): string {
    return `postgres://root@127.0.0.1:${this.port}/postgres`
  }

  /** Starts the server (again) on the same port and resolves once it accepts connections. */
  async restart(): Promise<void> {
    // fsync off: a killed postmaster still leaves its WAL in the OS cache, which is what
    // crash recovery reads; only a machine crash would need the disk.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`
    await this.#run('pg_ctl', [
      '-D',
      this.#data,
      '-o',
      options,
      '-l',
      join(this.dir, 'log'),
      '-w',
      '-t',
      '30',
      'start',
    ])
  }

  /** `pg_ctl stop -m immediate`: every connection cut without a goodbye, as in a crash. */
  async stop(): Promise<void> {
    await this.#run('pg_ctl', ['-D', this.#data, '-m', 'immediate', '-w', 'stop'])
  }

  /**
   * SIGSTOP to the postmaster and every backend: the server hangs with its connections open,
   * answering nothing, as behind a network partition or in a long stall. Returns the stopped
   * process ids for `thaw()`.
   */
  freeze(): number[] {
    const postmaster = Number(readFileSync(join(this.#data, 'postmaster.pid'), 'utf8').split('\n')[0])
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)])
      .toString()
      .split(/\s+/)
      .filter((pid) => pid !== '')
      .map(Number)
    const pids = [postmaster, ...children]
    for (const pid of pids) process.kill(pid, 'SIGSTOP')
    return pids
  }

  /** SIGCONT to what `freeze()` stopped. */
  thaw(pids: number[]): void {
    for (const pid of pids) process.kill(pid, 'SIGCONT')
  }

  /** Stops the server if it runs and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => {})
    rmSync(this.dir, { recursive: true, force: true })
  }

  async #run(command: string, args: string[]): Promise<void> {
    const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : []
    const child = spawn([...asPostgres, join(this.#bin, command), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    const [status, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()])
    clearTimeout(timer)
    if (status !== 0) throw new Error(`${command} ${args.at(-1)} exited with ${status}: ${stderr.trim()}`)
  }
}
