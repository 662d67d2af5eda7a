/**
 * The single binary's entry point: `portico [server] [--config PATH]` runs the server, and
 * `portico <verb> …` the admin CLI, as the installed package's `portico` command does
 * (bin/portico.js). With no verb, or options only, it is the server, so `./portico --config
 * cfg.json` takes `bun run server`'s arguments.
 *
 * Both entries read `process.argv.slice(2)` and exit on their own; the imports are static so
 * `bun build --compile` embeds both.
 */
import { argv } from 'node:process'
import { servePackageSelf } from './package-self.ts'

servePackageSelf()

const [first] = argv.slice(2)

if (first === 'server') {
  argv.splice(2, 1)
  await import('../server/main.ts')
} else if (first === undefined || first.startsWith('-')) {
  await import('../server/main.ts')
} else {
  await import('../server/cli/main.ts')
}
