/** `portico check [--config PATH]`: validate the configuration without starting anything. */
import { loadConfig } from '../config/load.ts'
import type { CliCommand } from './command.ts'
import { parseCliArgs, runCli } from './context.ts'

const usage = 'usage: bun run portico check [--config PATH]'

const check: CliCommand = {
  summary: 'validate the configuration (file + environment) and exit',
  run: (args) =>
    runCli(usage, async () => {
      const { values } = parseCliArgs(args, {})
      const config = await loadConfig({ path: values.config })
      const where = config.file ? ` (${config.file})` : ''
      const stores = Object.entries(config.stores)
        .map(([role, spec]) => `${role}=${spec.plugin}`)
        .join(', ')
      console.log(`ok: configuration is valid${where}; stores: ${stores}`)
      return 0
    }),
}

export default check
