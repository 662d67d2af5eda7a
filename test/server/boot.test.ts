import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { startServer, tempDir } from './fixtures/process.ts'

describe('bun run server', () => {
  test('boots on a real port with no config file and answers /healthz and /readyz', async () => {
    const dir = tempDir()
    const server = await startServer([], { PORT: '0', PORTICO_STORE: `file:${join(dir.path, 'portico.db')}` })
    try {
      const health = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': 'boot-1' } })
      expect(health.status).toBe(200)
      expect(health.headers.get('x-request-id')).toBe('boot-1')
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
      // Every line is JSON; the request line carries the fields operators search by.
      const entries = server.lines.map((line) => JSON.parse(line))
      const request = entries.find((entry) => entry.event === 'request' && entry.request_id === 'boot-1')
      expect(request).toMatchObject({ method: 'GET', route: '/healthz', status: 200, level: 'info' })
      expect(request.duration_ms).toBeNumber()
      const started = entries.find((entry) => entry.event === 'server.started')
      expect(started.stores).toHaveLength(1)
    } finally {
      expect(await server.stop()).toBe(0)
      dir.remove()
    }
  })

  test('a .ts config with a seed: the seeded client gets tokens from the running server', async () => {
    const server = await startServer(['--config', join(import.meta.dir, 'fixtures/configs/valid.ts')], {
      PORT: '0',
    })
    try {
      const response = await fetch(`${server.url}/connect/token`, {
        method: 'POST',
        headers: { Authorization: `Basic ${btoa('machine:machine-secret')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api1' }),
      })
      expect(response.status).toBe(200)
      expect(((await response.json()) as { token_type: string }).token_type).toBe('Bearer')
      expect(server.lines.join('\n')).not.toContain('machine-secret')
    } finally {
      expect(await server.stop()).toBe(0)
    }
  })
})
