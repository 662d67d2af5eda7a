// The example plugin of docs/plugins.md, tested the way its author would (this file is the
// docs' conformance test, with the plugin path adjusted).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { conformance } from 'portico/testing/bun'
import plugin from '../fixtures/plugins/jsonfile/index.ts'

conformance({
  plugin,
  options: async () => ({ path: join(await mkdtemp(join(tmpdir(), 'portico-jsonfile-')), 'keys.json') }),
  cleanup: ({ path }) => rm(dirname(path), { recursive: true, force: true }),
  unreachableOptions: () => ({ path: join(tmpdir(), `portico-missing-${crypto.randomUUID()}`, 'keys.json') }),
  module: fileURLToPath(new URL('../fixtures/plugins/jsonfile/index.ts', import.meta.url)),
  optOut: { crossProcess: 'its queue per file serialises the instances of one process only' },
})
