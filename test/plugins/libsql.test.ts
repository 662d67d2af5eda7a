import { fileURLToPath } from 'node:url'
import libsql from '../../plugins/libsql/index.ts'
import type { LibsqlOptions } from '../../plugins/libsql/options.ts'
import { conformance } from '../conformance/bun.ts'
import { dropLibsqlFile, freshLibsql } from './fixtures/sql/namespace.ts'

conformance<LibsqlOptions>({
  plugin: libsql,
  options: () => freshLibsql(),
  cleanup: dropLibsqlFile,
  // A path below a regular file can never be opened.
  unreachableOptions: () => ({ url: `file:${fileURLToPath(import.meta.url)}/portico.db` }),
  module: fileURLToPath(new URL('../../plugins/libsql/index.ts', import.meta.url)),
})
