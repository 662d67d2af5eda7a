/**
 * `portico grants list|revoke`: what users granted clients, from the operational store:
 * remembered consent, refresh tokens and reference access tokens (codes live minutes and are
 * listed, not revoked here). Handles are stored as digests and payloads are never printed.
 */
import type { GrantFilter, GrantType } from '../../core/models/grant.ts'
import { UsageError } from './command.ts'
import { identifierOption, openCliStores, parseCliArgs, warnIfEphemeral } from './context.ts'
import { formatTable, isoDate } from './table.ts'

/** What `grants revoke` removes (issue 11 item 7: consent, refresh and reference tokens). */
const revocable: GrantType[] = ['user_consent', 'refresh_token', 'reference_token']

function filterOf(values: { subject?: string | undefined; client?: string | undefined }): GrantFilter {
  const filter: GrantFilter = {}
  if (values.subject !== undefined) filter.subjectId = identifierOption('subject', values.subject)
  if (values.client !== undefined) filter.clientId = identifierOption('client', values.client)
  return filter
}

export async function listGrants(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    subject: { type: 'string' },
    client: { type: 'string' },
    json: { type: 'boolean' },
  })
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`)
  const filter = filterOf(values)
  if (!filter.subjectId && !filter.clientId) throw new UsageError('give --subject or --client')
  const { stores, close } = await openCliStores(values.config, ['operational'])
  try {
    const grants = (await stores.operational!.grants.getAll(filter)).map((grant) => ({
      type: grant.type,
      subject: grant.subjectId ?? null,
      client: grant.clientId,
      sid: grant.sessionId ?? null,
      createdAt: isoDate(grant.createdAt),
      expiresAt: isoDate(grant.expiresAt),
      consumedAt: grant.consumedAt === undefined ? null : isoDate(grant.consumedAt),
    }))
    if (values.json) console.log(JSON.stringify(grants, null, 2))
    else if (grants.length === 0) console.log('no grants')
    else {
      const rows = grants.map((g) => [
        g.type,
        g.subject ?? '-',
        g.client,
        g.sid ?? '-',
        g.createdAt,
        g.expiresAt,
        g.consumedAt ?? '-',
      ])
      const header = ['TYPE', 'SUBJECT', 'CLIENT', 'SID', 'CREATED', 'EXPIRES', 'CONSUMED']
      console.log(formatTable([header, ...rows]))
    }
    return 0
  } finally {
    await close()
  }
}

export async function revokeGrants(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    subject: { type: 'string' },
    client: { type: 'string' },
  })
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`)
  // A subject is required: revoking by client alone would sign every user of it out of it.
  const filter = filterOf({ ...values, subject: identifierOption('subject', values.subject) })
  const { config, stores, close } = await openCliStores(values.config, ['operational'])
  try {
    warnIfEphemeral(config, 'operational')
    const counts: string[] = []
    for (const type of revocable) {
      counts.push(`${type} ${await stores.operational!.grants.removeAll({ ...filter, type })}`)
    }
    console.log(
      `revoked grants of "${filter.subjectId}"${filter.clientId ? ` for "${filter.clientId}"` : ''}: ${counts.join(', ')}`,
    )
    return 0
  } finally {
    await close()
  }
}
