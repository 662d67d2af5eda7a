/**
 * A Bun build plugin for libSQL's native binding. The `libsql` package picks its prebuilt
 * addon (`@libsql/linux-x64-gnu`, `@libsql/darwin-arm64`, …) with a computed
 * ``require(`@libsql/${target}`)``, which a bundler cannot follow, so `--compile` would leave the
 * addon out and the binary would fail on its first `file:` database. The plugin works out the
 * target as libsql's own index.js does, for the machine that builds, and rewrites that require
 * to a static one of the addon's `.node` file, which `bun build --compile` embeds.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { BunPlugin } from 'bun'

// biome-ignore lint/suspicious/noTemplateCurlyInString: libsql's source text, matched as written
const computedRequire = 'require(`@libsql/${target}`)'

export function libsqlNativeBinding(): BunPlugin {
  return {
    name: 'libsql-native-binding',
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]libsql[\\/]index\.js$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8')
        if (!source.includes(computedRequire)) {
          throw new Error(
            `${path}: libsql no longer loads its addon with ${computedRequire}; update build/libsql-native.ts`,
          )
        }
        const addon = nativeAddon(path)
        return {
          contents: source.replace(computedRequire, `require(${JSON.stringify(addon)})`),
          loader: 'js',
        }
      })
    },
  }
}

/** The `.node` file libsql would load on this machine, as its index.js picks the target. */
function nativeAddon(libsqlIndex: string): string {
  const require = createRequire(libsqlIndex)
  const { currentTarget } = require('@neon-rs/load') as { currentTarget(): string }
  const { familySync, GLIBC, MUSL } = require('detect-libc') as {
    familySync(): string | null
    GLIBC: string
    MUSL: string
  }
  let target = currentTarget()
  // libsql's own corrections: Bun reports musl on glibc systems, and arm musl goes undetected.
  const family = familySync()
  if (family === GLIBC) target = target.replace(/^linux-(x64|arm64)-musl$/, 'linux-$1-gnu')
  if (target === 'linux-arm-gnueabihf' && family === MUSL) target = 'linux-arm-musleabihf'
  try {
    return require.resolve(`@libsql/${target}`)
  } catch {
    throw new Error(`@libsql/${target} is not installed: the binary can only be built where npm installed it`)
  }
}
