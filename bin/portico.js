#!/usr/bin/env node
/**
 * The `portico` command of the installed package: `npx portico server [--config FILE]` starts the
 * server, `npx portico <verb> …` runs the admin CLI.
 *
 * Portico is TypeScript that Bun runs, and a machine with only Node.js and npm has no `bun` on
 * PATH, so this shim (plain JavaScript, run by Node) finds the Bun binary installed with the `bun`
 * dependency and hands the command to it. Under Bun already (`bunx portico`), it uses that Bun.
 */
import { spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { constants } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const entry =
  args[0] === 'server'
    ? [join(root, 'server/main.ts'), ...args.slice(1)]
    : [join(root, 'server/cli/main.ts'), ...args]

const bun = findBun()
if (!bun) {
  console.error(
    'portico: Bun not found (the "bun" package did not install its binary; reinstall without --ignore-scripts, or install Bun: https://bun.sh)',
  )
  process.exit(1)
}

const child = spawn(bun, entry, { stdio: 'inherit' })
// A supervisor's SIGTERM/SIGHUP goes to this process alone: pass it on so the server drains.
// SIGINT is not passed on: Ctrl-C reaches Bun directly (same process group), and a second copy
// would read as "stop without draining".
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
process.on('SIGINT', () => {})
child.on('error', (error) => {
  console.error(`portico: could not start Bun (${error.message})`)
  process.exit(1)
})
child.on('exit', (code, signal) =>
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)),
)

function findBun() {
  if (process.versions.bun) return process.execPath
  const require = createRequire(import.meta.url)
  let bunPackage
  try {
    bunPackage = dirname(require.resolve('bun/package.json'))
  } catch {
    return undefined
  }
  // The postinstall of "bun" puts the binary at bin/bun.exe; without it, the platform package's.
  const candidates = [join(bunPackage, 'bin', 'bun.exe')]
  const platform = `@oven/bun-${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch === 'arm64' ? 'aarch64' : process.arch}`
  for (const name of [platform, `${platform}-musl`, `${platform}-baseline`]) {
    try {
      const dir = dirname(createRequire(join(bunPackage, 'package.json')).resolve(`${name}/package.json`))
      candidates.push(join(dir, 'bin', process.platform === 'win32' ? 'bun.exe' : 'bun'))
    } catch {}
  }
  return candidates.find(isBinary)
}

/** The placeholder bun.exe the postinstall replaces is a small text file, not a program. */
function isBinary(file) {
  try {
    return statSync(file).size > 1_000_000
  } catch {
    return false
  }
}
