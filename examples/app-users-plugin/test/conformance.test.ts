// The conformance kit on a real Postgres: fresh application tables and a fresh plugin schema
// for every instance the kit opens, dropped afterwards. The application's tables are empty here,
// so the kit proves what Portico writes (its own clients, users, resources and every lockout);
// app-owned.test.ts proves the application's rows.
import { afterAll } from 'bun:test'
import { fileURLToPath } from 'node:url'
import { conformance } from 'portico/testing/bun'
import plugin, { type AppUsersOptions } from '../index.ts'
import { namespacePool, type TestOptions } from './app-database.ts'

const namespaces = namespacePool()
afterAll(() => namespaces.close())

conformance<AppUsersOptions>({
  plugin,
  options: () => namespaces.take(),
  cleanup: (options) => namespaces.drop(options as TestOptions),
  unreachableOptions: () => ({ url: 'postgres://root@127.0.0.1:1/test', connectTimeout: 2 }),
  module: fileURLToPath(new URL('../index.ts', import.meta.url)),
})
