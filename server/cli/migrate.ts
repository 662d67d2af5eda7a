/**
 * `portico migrate [--config PATH]`: bring every configured store's schema up to date, whatever
 * `migrate.auto` says. Safe while other instances run or migrate (plugins serialize it).
 */
import { systemClock } from '../../core/clock.ts'
import { loadConfig } from '../config/load.ts'
import { openStores } from '../stores/load.ts'
import type { CliCommand } from './command.ts'
import { cliLogger, parseCliArgs, runCli } from './context.ts'

const usage = 'usage: portico migrate [--config PATH]'

const migrate: CliCommand = {
  summary: 'apply pending schema migrations to the configured stores',
  usage,
  run: (args) =>
    runCli(usage, async () => {
      const { values } = parseCliArgs(args, {})
      const config = await loadConfig({ path: values.config })
      const opened = await openStores({
        stores: config.stores,
        baseDir: config.baseDir,
        clock: systemClock,
        logger: cliLogger(),
        migrate: true,
      })
      try {
        for (const { plugin, roles, target, instance } of opened.instances) {
          const where = `${roles.join(', ')} store "${plugin}"${target ? ` (${target})` : ''}`
          console.log(instance.migrate ? `migrated ${where}` : `${where} has no schema to migrate`)
        }
      } finally {
        await opened.close()
      }
      return 0
    }),
}

export default migrate
