/**
 * `portico grants purge-expired [--batch-size N] [--config PATH]`: remove every expired grant,
 * device code, session and replay entry now (what the background cleanup job does), and print
 * how many.
 */
import { purgeExpiredRecords } from '../../core/stores/purge-job.ts'
import { type CliCommand, UsageError } from './command.ts'
import { commandGroup, openCliStores, parseCliArgs } from './context.ts'
import { listGrants, revokeGrants } from './user-grants.ts'

const usage = `usage:
  portico grants purge-expired [--batch-size N] [--config PATH]
  portico grants list --subject S | --client C [--json] [--config PATH]
  portico grants revoke --subject S [--client C] [--config PATH]
      (removes remembered consent, refresh and reference tokens)`

async function purgeExpired(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { 'batch-size': { type: 'string' } })
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`)
  const { config, stores, close } = await openCliStores(values.config, ['operational'])
  try {
    const batchSize =
      values['batch-size'] === undefined ? config.cleanup.batchSize : Number(values['batch-size'])
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new UsageError('--batch-size must be a positive integer')
    const counts = await purgeExpiredRecords(stores.operational!, { before: Date.now(), batchSize })
    console.log(
      `purged ${counts.total} expired records (grants ${counts.grants}, device codes ${counts.deviceCodes}, sessions ${counts.sessions}, replay cache ${counts.replay})`,
    )
    return 0
  } finally {
    await close()
  }
}

const grants: CliCommand = commandGroup(
  'list|revoke: consent and tokens of a subject; purge-expired: remove expired records now',
  usage,
  { 'purge-expired': purgeExpired, list: listGrants, revoke: revokeGrants },
)

export default grants
