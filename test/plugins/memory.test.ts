import { fileURLToPath } from 'node:url'
import memory from '../../plugins/memory/index.ts'
import { conformance } from '../conformance/bun.ts'

// Memory has no backend to drop or to make unreachable: a fresh instance is a fresh store.
conformance({
  plugin: memory,
  options: () => ({}),
  module: fileURLToPath(new URL('../../plugins/memory/index.ts', import.meta.url)),
})
