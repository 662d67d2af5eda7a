/**
 * `npm run build` / `bun run build`: one self-contained executable, dist/portico, made with
 * `bun build --compile` for the machine that builds it. Everything the server and the CLI load
 * is inside: the code of the server, the CLI and the built-in store plugins, the pages, the
 * migrations (build/migrations.ts) and libSQL's native addon (build/libsql-native.ts).
 *
 * `bun build/compile.ts [--outfile PATH]`
 */
import { rmSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { libsqlNativeBinding } from './libsql-native.ts'
import { inlineMigrations } from './migrations.ts'

const root = resolve(import.meta.dir, '..')
const { values } = parseArgs({ options: { outfile: { type: 'string' } } })
const outfile = resolve(values.outfile ?? resolve(root, 'dist/portico'))

const result = await Bun.build({
  entrypoints: [resolve(import.meta.dir, 'portico.ts')],
  root,
  target: 'bun',
  plugins: [inlineMigrations(), libsqlNativeBinding()],
  // Readable stack traces in the server's error logs: the source map travels inside (Bun
  // also writes it beside the binary; that copy is removed below).
  sourcemap: 'linked',
  minify: { whitespace: true, syntax: true },
  compile: {
    outfile,
    // Like `bun run server`, the binary reads a .env in its working directory; a stray
    // bunfig.toml there is not its business.
    autoloadDotenv: true,
    autoloadBunfig: false,
  },
})

if (!result.success) {
  for (const log of result.logs) console.error(log)
  process.exit(1)
}
for (const output of result.outputs) if (output.kind === 'sourcemap') rmSync(output.path)
const megabytes = (statSync(outfile).size / 1024 / 1024).toFixed(1)
console.log(`built ${outfile} (${megabytes} MB)`)
