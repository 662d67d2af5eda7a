import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { serverConfig, startServer, tempDir, writeConfig } from './fixtures/process.ts'

const controlled = join(import.meta.dir, 'fixtures/plugins/controlled.ts')

describe('graceful shutdown', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal}: exit 0 after closing every store instance`, async () => {
      const dir = tempDir()
      try {
        const marker = join(dir.path, 'closed')
        const file = writeConfig(
          dir.path,
          serverConfig({
            stores: {
              configuration: { plugin: controlled, options: { marker } },
              keys: { plugin: controlled, options: { marker } },
              operational: { plugin: controlled, options: { marker, healthDelayMs: 1 } },
            },
          }),
        )
        const server = await startServer(['--config', file])
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
        expect(await server.stop(signal)).toBe(0)
        const closed = (await Bun.file(marker).text())
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('closed'))
          .sort()
        expect(closed).toEqual(['closed configuration,keys', 'closed operational'])
        const events = server.lines.map((line) => JSON.parse(line).event)
        expect(events.slice(-2)).toEqual(['server.stopping', 'server.stopped'])
      } finally {
        dir.remove()
      }
    })
  }

  test('a request in flight when SIGTERM arrives still gets its answer', async () => {
    const dir = tempDir()
    try {
      const marker = join(dir.path, 'closed')
      const file = writeConfig(
        dir.path,
        serverConfig({ store: { plugin: controlled, options: { marker, healthDelayMs: 700 } } }),
      )
      const server = await startServer(['--config', file])
      const inFlight = fetch(`${server.url}/readyz`)
      await Bun.sleep(200)
      const exited = server.stop('SIGTERM')
      const response = await inFlight
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ status: 'ready' })
      expect(await exited).toBe(0)
      expect(await Bun.file(marker).text()).toEndWith('closed configuration,operational,keys\n')
    } finally {
      dir.remove()
    }
  })

  test('in-flight requests get shutdownTimeoutSeconds, then the connections are closed', async () => {
    const dir = tempDir()
    try {
      const file = writeConfig(
        dir.path,
        serverConfig({
          shutdownTimeoutSeconds: 0,
          store: { plugin: controlled, options: { healthDelayMs: 900 } },
        }),
      )
      const server = await startServer(['--config', file])
      const inFlight = fetch(`${server.url}/readyz`).then(
        (response) => response.status,
        () => 'cut off',
      )
      await Bun.sleep(200)
      expect(await server.stop('SIGTERM')).toBe(0)
      expect(await inFlight).toBe('cut off')
      expect(server.lines.some((line) => JSON.parse(line).event === 'server.shutdown_timeout')).toBe(true)
    } finally {
      dir.remove()
    }
  })
})
