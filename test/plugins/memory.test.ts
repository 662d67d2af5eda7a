// The memory plugin's whole conformance test: the file a plugin author writes, importing the
// kit through the package's public `portico/testing/bun` entry point.
import { fileURLToPath } from 'node:url'
import { conformance } from 'portico/testing/bun'
import memory from '../../plugins/memory/index.ts'

// Every instance is a fresh, empty store, so there is nothing to clean up and no backend
// that could be unreachable, nor one that another process could share.
conformance({
  plugin: memory,
  options: () => ({}),
  optOut: { crossProcess: 'every instance keeps its records in its own process’s memory' },
  module: fileURLToPath(new URL('../../plugins/memory/index.ts', import.meta.url)),
})
