import { fileURLToPath } from 'node:url'
import redis from '../../plugins/redis/index.ts'
import type { RedisStoreOptions } from '../../plugins/redis/options.ts'
import { conformance } from '../conformance/bun.ts'
import { dropPrefix, freePort, freshOptions } from './fixtures/redis/namespace.ts'

const module = fileURLToPath(new URL('../../plugins/redis/index.ts', import.meta.url))

conformance<RedisStoreOptions>({
  plugin: redis,
  options: freshOptions,
  cleanup: dropPrefix,
  unreachableOptions: async () => ({
    url: `redis://127.0.0.1:${await freePort()}`,
    prefix: 'portico-test:none:',
  }),
  module,
})

// The Cluster layout: grants, sessions and replay ids spread over several hash-tag buckets, so
// every filter fans out over them. Same contract, same kit.
conformance<RedisStoreOptions>({
  plugin: redis,
  options: () => ({ ...freshOptions(), buckets: 7 }),
  cleanup: dropPrefix,
  roles: ['operational'],
})
