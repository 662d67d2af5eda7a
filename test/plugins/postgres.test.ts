import { fileURLToPath } from 'node:url'
import postgresPlugin from '../../plugins/postgres/index.ts'
import type { PostgresOptions } from '../../plugins/postgres/options.ts'
import { conformance } from '../conformance/bun.ts'
import { dropSchema, freePort, freshPostgres } from './fixtures/sql/namespace.ts'

conformance<PostgresOptions>({
  plugin: postgresPlugin,
  options: () => freshPostgres(),
  cleanup: dropSchema,
  unreachableOptions: async () =>
    freshPostgres({ url: `postgres://root@127.0.0.1:${await freePort()}/test` }),
  module: fileURLToPath(new URL('../../plugins/postgres/index.ts', import.meta.url)),
})
