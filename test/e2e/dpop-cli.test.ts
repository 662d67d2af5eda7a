/** `portico clients add|update --require-dpop` stores requireDPoP (RFC 9449 §5.2) where the token service reads it. */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { join } from 'node:path'
import { runCli, tempDir, writeConfig } from '../server/fixtures/process.ts'

const dir = tempDir()
let config: string
beforeAll(() => {
  config = writeConfig(dir.path, { store: `file:${join(dir.path, 'portico.db')}` })
})
afterAll(() => dir.remove())

async function shown(clientId: string): Promise<Record<string, unknown>> {
  const show = await runCli(['clients', 'show', clientId, '--json', '--config', config])
  expect(show.exitCode).toBe(0)
  return JSON.parse(show.stdout) as Record<string, unknown>
}

test('clients add --require-dpop, and update --require-dpop on an existing client', async () => {
  const add = await runCli([
    'clients',
    'add',
    'bound',
    '--grant',
    'client_credentials',
    '--require-dpop',
    '--config',
    config,
  ])
  expect(add.exitCode).toBe(0)
  expect((await shown('bound')).requireDPoP).toBe(true)

  expect(
    (await runCli(['clients', 'add', 'plain', '--grant', 'client_credentials', '--config', config])).exitCode,
  ).toBe(0)
  expect((await shown('plain')).requireDPoP).toBe(false)
  expect((await runCli(['clients', 'update', 'plain', '--require-dpop', '--config', config])).exitCode).toBe(
    0,
  )
  expect((await shown('plain')).requireDPoP).toBe(true)
})
