/**
 * `bun run server [--config PATH]`: load the configuration (file, `${VAR}`, environment),
 * open the stores, seed, serve, and shut down gracefully on SIGTERM / SIGINT.
 *
 * Exit status: 0 after a clean shutdown, 2 for a configuration mistake, 1 when a store or
 * anything else fails at start. Startup failures print one line, never a stack trace.
 */
import { parseArgs } from 'node:util'
import { systemClock } from '../core/clock.ts'
import { loadConfig } from './config/load.ts'
import { ConfigError, reportConfigError } from './config/problems.ts'
import { KeySecretMissingError } from './key-ring.ts'
import { createLogger } from './logging/logger.ts'
import { scrubString } from './logging/redact.ts'
import { SeedError } from './seed.ts'
import { startPortico } from './start.ts'
import { PluginLoadError } from './stores/errors.ts'

const usage =
  'usage: portico server [--config PATH]  (in a clone: bun run server; the binary: ./portico [--config PATH])'

async function main(): Promise<number | undefined> {
  let configPath: string | undefined
  try {
    const { values } = parseArgs({
      options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    })
    if (values.help) {
      console.log(usage)
      return 0
    }
    configPath = values.config
  } catch (error) {
    console.error(`portico: ${(error as Error).message}\n${usage}`)
    return 2
  }

  let config: Awaited<ReturnType<typeof loadConfig>>
  try {
    config = await loadConfig({ path: configPath })
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(reportConfigError(error))
      return 2
    }
    throw error
  }

  const logger = createLogger({ level: config.log.level })
  let running: Awaited<ReturnType<typeof startPortico>>
  try {
    running = await startPortico(config, { logger, clock: systemClock })
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(reportConfigError(error))
      return 2
    }
    if (
      error instanceof PluginLoadError ||
      error instanceof SeedError ||
      error instanceof KeySecretMissingError
    ) {
      console.error(`portico: ${error.message}`)
    } else {
      logger.error('server.start_failed', { error })
      console.error(`portico: failed to start: ${scrubString((error as Error)?.message ?? String(error))}`)
    }
    return 1
  }

  // A stray rejection is logged (redacted) rather than printed raw or ending the process.
  process.on('unhandledRejection', (reason) => logger.error('process.unhandled_rejection', { error: reason }))

  let signals = 0
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1
    // A second signal means the operator will not wait for the drain.
    if (signals > 1) process.exit(1)
    running.shutdown(signal).then(
      () => process.exit(0),
      (error) => {
        logger.error('server.shutdown_failed', { error })
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  return undefined
}

const status = await main()
if (status !== undefined) process.exit(status)
