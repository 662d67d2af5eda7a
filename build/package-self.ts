/**
 * In the binary, `portico` and `portico/config` name the binary's own modules, as they name the
 * installed package's in a project: a `.ts` config (`import { defineConfig } from
 * 'portico/config'`) and a store plugin by path (`import { definePlugin } from 'portico'`) load
 * beside the binary with no node_modules. Bun's runtime plugin API serves them as virtual modules.
 */
import { plugin } from 'bun'
import * as core from '../core/index.ts'
import * as config from '../server/config/define.ts'

export function servePackageSelf(): void {
  plugin({
    name: 'portico-package-self',
    setup(build) {
      build.module('portico', () => ({ exports: core, loader: 'object' }))
      build.module('portico/config', () => ({ exports: config, loader: 'object' }))
    },
  })
}
