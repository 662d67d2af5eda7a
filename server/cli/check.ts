/**
 * `portico check [--config PATH]`: validate the configuration, then open every store as the
 * server would (import each plugin, create its instance, ask `health()`), without migrating or
 * seeding. It fails with the line the server would fail with, and the same exit status.
 */
import { systemClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import { loadConfig } from '../config/load.ts'
import { openStores } from '../stores/load.ts'
import type { CliCommand } from './command.ts'
import { parseCliArgs, runCli } from './context.ts'

const usage = 'usage: portico check [--config PATH]'

const check: CliCommand = {
  summary: 'validate the configuration and reach every store (file + environment), then exit',
  usage,
  run: (args) =>
    runCli(usage, async () => {
      const { values } = parseCliArgs(args, {})
      const config = await loadConfig({ path: values.config })
      const opened = await openStores({
        stores: config.stores,
        baseDir: config.baseDir,
        clock: systemClock,
        // Its verdict is the one line below; a plugin's own warnings would only repeat it.
        logger: silentLogger,
        migrate: false,
      })
      await opened.close()
      const where = config.file ? ` (${config.file})` : ''
      const stores = Object.entries(config.stores)
        .map(([role, spec]) => `${role}=${spec.plugin}`)
        .join(', ')
      console.log(`ok: configuration is valid and every store answers${where}; stores: ${stores}`)
      return 0
    }),
}

export default check
