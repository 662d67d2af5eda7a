/**
 * What most verbs share: `--config PATH` (or PORTICO_CONFIG), the stores the config names
 * (only the roles a verb needs), and one place that turns failures into exit statuses.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { systemClock } from '../../core/clock.ts'
import type { Logger } from '../../core/logger.ts'
import { identifierMaxLength, identifierTooLong } from '../../core/models/identifier.ts'
import type { StoreRole } from '../../core/stores/contract.ts'
import { loadConfig } from '../config/load.ts'
import { ConfigError, formatProblem, type Problem, reportConfigError } from '../config/problems.ts'
import type { PorticoConfig } from '../config/resolve.ts'
import { createLogger } from '../logging/logger.ts'
import { scrubString } from '../logging/redact.ts'
import { SeedError } from '../seed.ts'
import { PluginLoadError } from '../stores/errors.ts'
import { openStores, type Stores } from '../stores/load.ts'
import { type CliCommand, UsageError } from './command.ts'

/** A required identifier option; one longer than any store keeps names nothing. */
export function identifierOption(name: string, value: string | undefined): string {
  if (!value) throw new UsageError(`--${name} is required`)
  if (identifierTooLong(value)) {
    throw new UsageError(`--${name} is longer than ${identifierMaxLength} characters`)
  }
  return value
}

export const configOption = { config: { type: 'string', short: 'c' } } as const

/** parseArgs with `--config`, turning its errors into UsageError. */
export function parseCliArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...configOption, ...options }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** CLI logs go to stderr at warn and above, so stdout stays for the command's output. */
export function cliLogger(): Logger {
  return createLogger({ level: 'warn', write: (line) => process.stderr.write(`${line}\n`) })
}

export interface CliStores {
  config: PorticoConfig
  stores: Partial<Stores>
  close(): Promise<void>
}

export async function openCliStores(configPath: string | undefined, roles: StoreRole[]): Promise<CliStores> {
  const config = await loadConfig({ path: configPath })
  const opened = await openStores({
    stores: config.stores,
    baseDir: config.baseDir,
    clock: systemClock,
    logger: cliLogger(),
    migrate: config.migrate.auto,
    roles,
  })
  return { config, stores: opened.stores, close: opened.close }
}

/** Writes to the memory store vanish with the CLI process; say so rather than pretend. */
export function warnIfEphemeral(config: PorticoConfig, role: StoreRole): void {
  if (config.stores[role].plugin === 'memory') {
    console.error(
      `portico: warning: the ${role} store is "memory", so this change is lost when the command exits (set --config or PORTICO_STORE)`,
    )
  }
}

/** A command line's values that fail the seed schema: one line naming every problem (exit 2). */
export function invalidInput(what: string, problems: readonly Problem[]): UsageError {
  return new UsageError(`invalid ${what}: ${problems.map(formatProblem).join('; ')}`)
}

/** A verb group: `<verb> <subcommand> [args]`, with usage on `--help` at either level. */
export function commandGroup(
  summary: string,
  usage: string,
  subcommands: Record<string, (args: string[]) => Promise<number>>,
): CliCommand {
  const verb = /(?:^|\s)portico (\S+)/.exec(usage)?.[1] ?? ''
  const allowed = Object.keys(subcommands).join(', ')
  return {
    summary,
    usage,
    run: ([sub, ...args]) =>
      runCli(usage, async () => {
        if (sub === undefined) throw new UsageError(`${verb} needs a subcommand (allowed ${allowed})`)
        const run = Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined
        if (!run) throw new UsageError(`unknown ${verb} subcommand "${sub}" (allowed ${allowed})`)
        return run(args)
      }),
  }
}

/**
 * Runs a verb body, mapping the errors every verb can meet to one line on stderr and an exit
 * status (a script reads the status; a person reads the line).
 */
export async function runCli(usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body()
  } catch (error) {
    if (error instanceof UsageError) {
      const verb = /(?:^|\s)portico (\S+)/.exec(usage)?.[1]
      console.error(`portico: ${error.message} (see: portico ${verb} --help)`)
      return 2
    }
    if (error instanceof ConfigError) {
      console.error(reportConfigError(error))
      return 2
    }
    if (error instanceof PluginLoadError || error instanceof SeedError) {
      console.error(`portico: ${error.message}`)
      return 1
    }
    console.error(`portico: ${scrubString((error as Error)?.message ?? String(error))}`)
    return 1
  }
}
