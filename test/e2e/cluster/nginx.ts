/**
 * Debian's nginx in front of test instances, run as a private process: `nginx -p <dir> -c
 * <dir>/nginx.conf -g 'daemon off;'` with its pid, logs and temp files inside `<dir>`, so nothing
 * of the system's nginx setup is read or touched.
 *
 * The config is made FROM examples/deploy/nginx.conf, so what the deployment guide shows is what
 * the tests run: its `upstream portico` block (server parameters and `keepalive` as written, the
 * example's addresses replaced by the instances' ports) and its TLS server block without the TLS
 * lines (`listen … ssl`, `http2`, `ssl_*`, `server_name`, HSTS), listening on plain HTTP on a
 * free loopback port. An access log names the upstream and `$request_id` of every request.
 *
 * @example
 * const nginx = await startNginx({ port, upstreams: cluster.instances.map((i) => i.port) })
 * await fetch(`${nginx.url}/healthz`)
 * nginx.accessLog() // [{ requestId, upstream: '127.0.0.1:41234', status: 200, method, uri, marker }]
 * await nginx.stop()
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../plugins/fixtures/redis/namespace.ts'
import { repoRoot } from '../../server/fixtures/process.ts'

export const nginxPath = process.env.PORTICO_TEST_NGINX ?? '/usr/sbin/nginx'
export const nginxInstalled = existsSync(nginxPath)
export const exampleConfigPath = join(repoRoot, 'examples/deploy/nginx.conf')

/** One access log line: which instance nginx sent a request to. */
export interface AccessLine {
  requestId: string
  /** `127.0.0.1:<port>` of the instance (several, comma-separated, when nginx retried). */
  upstream: string
  status: number
  method: string
  uri: string
  /** The request's `X-Test-Marker` header (`-` when absent): see `mark()`. */
  marker: string
}

export interface Nginx {
  port: number
  /** `http://127.0.0.1:<port>`. */
  url: string
  /** The generated config, for failure messages. */
  config: string
  accessLog(): AccessLine[]
  /**
   * Sends a marked request through nginx and waits for its access log line: every request
   * answered before it is then logged. Returns the log's length up to and including the mark,
   * so `accessLog().slice(await mark(), (await mark()) - 1)` is exactly what ran in between.
   */
  mark(): Promise<number>
  /** nginx's stderr so far (its error log). */
  errors(): string
  /** Fast shutdown (SIGTERM); resolves with the exit status. */
  stop(): Promise<number>
}

export interface NginxOptions {
  /** The instances' ports on 127.0.0.1. */
  upstreams: number[]
  /** Where nginx listens (default: a free port). Chosen before the instances when they need it as their issuer. */
  port?: number
}

export async function startNginx(options: NginxOptions): Promise<Nginx> {
  if (!nginxInstalled) throw new Error(`${nginxPath} is missing: apt-get install nginx-light`)
  const port = options.port ?? (await freePort())
  const dir = mkdtempSync(join(tmpdir(), 'portico-nginx-'))
  // Started as root, nginx's workers run as nobody and must reach their temp paths in here.
  chmodSync(dir, 0o755)
  const config = nginxConfig({ dir, port, upstreams: options.upstreams })
  writeFileSync(join(dir, 'nginx.conf'), config)
  const proc = Bun.spawn([nginxPath, '-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
  })
  let errors = ''
  ;(async () => {
    const decoder = new TextDecoder()
    for await (const chunk of proc.stderr) errors += decoder.decode(chunk, { stream: true })
  })().catch(() => {})
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
    proc.kill('SIGTERM')
    const code = await proc.exited
    clearTimeout(killer)
    rmSync(dir, { recursive: true, force: true })
    return code
  }
  // Listening once a connection is accepted (any answer, even a 502, is nginx's).
  const deadline = Date.now() + 20_000
  for (;;) {
    if (proc.exitCode !== null) {
      await proc.exited
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`nginx exited with ${proc.exitCode}:\n${errors}\n${config}`)
    }
    const answered = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      async (response) => {
        await response.body?.cancel()
        return true
      },
      () => false,
    )
    if (answered) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`nginx did not listen on ${port}:\n${errors}`)
    }
    await Bun.sleep(50)
  }
  const accessLog = () => readAccessLog(join(dir, 'access.log'))
  return {
    port,
    url,
    config,
    accessLog,
    async mark() {
      const marker = crypto.randomUUID()
      const response = await fetch(`${url}/healthz`, { headers: { 'x-test-marker': marker } })
      await response.body?.cancel()
      // nginx writes the line just after the response: poll for it.
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await Bun.sleep(20)) {
        const at = accessLog().findIndex((line) => line.marker === marker)
        if (at >= 0) return at + 1
      }
      throw new Error(`nginx never logged the marked request ${marker}`)
    },
    errors: () => errors,
    stop,
  }
}

/** The test config: the example's upstream and proxy settings around private paths and ports. */
export function nginxConfig(options: { dir: string; port: number; upstreams: number[] }): string {
  const example = withoutComments(readFileSync(exampleConfigPath, 'utf8'))
  const upstream = blocks(example, 'upstream portico').at(0)
  const site = blocks(example, 'server').find((body) => /\blisten\s+443\b/.test(body))
  if (!upstream || !site) {
    throw new Error(`${exampleConfigPath}: expected an "upstream portico" block and a "listen 443" server`)
  }
  const serverParameters = /^\s*server\s+\S+?(\s[^;]*)?;/m.exec(upstream)?.[1] ?? ''
  const upstreamRest = upstream.replace(/^\s*server\s+[^;]*;\s*$/gm, '')
  const siteRest = site.replace(
    /^\s*(listen|http2|server_name|ssl_\w+|add_header\s+Strict-Transport-Security)\b[^;]*;\s*$/gm,
    '',
  )
  const d = options.dir
  return `# Generated by test/e2e/cluster/nginx.ts from examples/deploy/nginx.conf.
worker_processes 1;
pid ${d}/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
    client_body_temp_path ${d}/client_body;
    proxy_temp_path ${d}/proxy;
    fastcgi_temp_path ${d}/fastcgi;
    uwsgi_temp_path ${d}/uwsgi;
    scgi_temp_path ${d}/scgi;
    log_format upstreams '$request_id $upstream_addr $status $request_method $uri $http_x_test_marker';
    access_log ${d}/access.log upstreams;

    upstream portico {
${options.upstreams.map((port) => `        server 127.0.0.1:${port}${serverParameters};`).join('\n')}
${indent(upstreamRest)}
    }

    server {
        listen 127.0.0.1:${options.port};
${indent(siteRest)}
    }
}
`
}

function readAccessLog(path: string): AccessLine[] {
  if (!existsSync(path)) return []
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [requestId = '', upstream = '', status = '', method = '', uri = '', marker = ''] = line.split(' ')
      return { requestId, upstream, status: Number(status), method, uri, marker }
    })
}

function withoutComments(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, ''))
    .join('\n')
}

/** The bodies of every top-level-or-nested block opened by `name {`. */
function blocks(text: string, name: string): string[] {
  const found: string[] = []
  const opener = new RegExp(`(^|[\\s;{}])${name.replace(/ /g, '\\s+')}\\s*\\{`, 'g')
  for (let match = opener.exec(text); match; match = opener.exec(text)) {
    const start = match.index + match[0].length
    let depth = 1
    let i = start
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '{') depth++
      else if (text[i] === '}') depth--
    }
    found.push(text.slice(start, i - 1))
  }
  return found
}

/** Re-indents a block body by its braces, as if written inside the generated block. */
function indent(body: string): string {
  let depth = 0
  const lines: string[] = []
  for (const line of body.split('\n').map((l) => l.trim())) {
    if (line === '') continue
    if (line.startsWith('}')) depth--
    lines.push(`${'    '.repeat(depth + 2)}${line}`)
    if (line.endsWith('{')) depth++
  }
  return lines.join('\n')
}
