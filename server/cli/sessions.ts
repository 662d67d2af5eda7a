/**
 * `portico sessions list|revoke`: the users' browser sessions (the operational store's server-side
 * sessions). Revoking ends them on every instance and sends Back-Channel Logout to each client
 * of the session that registered a `backChannelLogoutUri` (OIDC Back-Channel Logout 1.0 §2.5),
 * waiting for the deliveries (with their retries) before it exits.
 */
import { systemClock } from '../../core/clock.ts'
import { EndSession } from '../../core/protocol/logout/end-session.ts'
import { logoutHintVerifier } from '../../core/protocol/logout/logout-hint.ts'
import { type BrowserSession, browserSessionOf } from '../../core/protocol/session/browser-session.ts'
import { startKeyRing } from '../key-ring.ts'
import { BackChannelSender } from '../logout/back-channel-sender.ts'
import { type CliCommand, UsageError } from './command.ts'
import {
  cliLogger,
  commandGroup,
  identifierOption,
  openCliStores,
  parseCliArgs,
  warnIfEphemeral,
} from './context.ts'
import { formatTable, isoDate } from './table.ts'

const usage = `usage:
  portico sessions list --subject S [--json] [--config PATH]
  portico sessions revoke --subject S [--sid X] | --sid X [--config PATH]
      (ends the subject's sessions, or the one with that sid, and sends back-channel logout)`

async function list(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    subject: { type: 'string' },
    json: { type: 'boolean' },
  })
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`)
  const subject = identifierOption('subject', values.subject)
  const { stores, close } = await openCliStores(values.config, ['operational'])
  try {
    const records = await stores.operational!.sessions.listBySubject(subject)
    const sessions = records.map((record) => ({
      sid: record.sessionId,
      subject: record.subjectId,
      createdAt: isoDate(record.createdAt),
      expiresAt: isoDate(record.expiresAt),
      clients: browserSessionOf(record)?.clients ?? [],
    }))
    if (values.json) console.log(JSON.stringify(sessions, null, 2))
    else if (sessions.length === 0) console.log(`no sessions for subject "${subject}"`)
    else {
      const rows = sessions.map((s) => [s.sid, s.createdAt, s.expiresAt, s.clients.join(',') || '-'])
      console.log(formatTable([['SID', 'CREATED', 'EXPIRES', 'CLIENTS'], ...rows]))
    }
    return 0
  } finally {
    await close()
  }
}

async function revoke(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { subject: { type: 'string' }, sid: { type: 'string' } })
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`)
  if (values.subject === undefined && values.sid === undefined)
    throw new UsageError('give --subject or --sid')
  const subject = values.subject === undefined ? undefined : identifierOption('subject', values.subject)
  const sid = values.sid === undefined ? undefined : identifierOption('sid', values.sid)
  const { config, stores, close } = await openCliStores(values.config, [
    'configuration',
    'operational',
    'keys',
  ])
  try {
    warnIfEphemeral(config, 'operational')
    const store = stores.operational!.sessions
    // A sid alone is looked up as such; with a subject, its sessions are listed and filtered.
    const records =
      subject === undefined
        ? [await store.findBySessionId(sid!)].filter((record) => record !== undefined)
        : (await store.listBySubject(subject)).filter(
            (record) => sid === undefined || record.sessionId === sid,
          )
    const sessions = records
      .map(browserSessionOf)
      .filter((session): session is BrowserSession => session !== undefined)
    if (sid !== undefined && sessions.length === 0) {
      console.error(`portico: no session "${sid}"${subject === undefined ? '' : ` for subject "${subject}"`}`)
      return 1
    }
    const notified = await endSessions(config, stores, sessions)
    const of = subject ?? sessions[0]!.subjectId
    console.log(
      `revoked ${sessions.length} session${sessions.length === 1 ? '' : 's'} of "${of}"; back-channel logout sent to ${notified} client${notified === 1 ? '' : 's'}`,
    )
    return 0
  } finally {
    await close()
  }
}

type Opened = Awaited<ReturnType<typeof openCliStores>>

/** Ends each session through core (store removal, Logout Tokens) and waits for the deliveries. */
async function endSessions(
  config: Opened['config'],
  stores: Opened['stores'],
  sessions: BrowserSession[],
): Promise<number> {
  const logger = cliLogger()
  const operational = stores.operational!
  if (!config.issuer) {
    // A Logout Token's `iss` must be the issuer the clients know; without it none is sent.
    if (sessions.some((session) => session.clients.length > 0)) {
      console.error('portico: warning: no issuer configured, so no back-channel logout is sent (set issuer)')
    }
    for (const session of sessions) await operational.sessions.remove(session.key)
    return 0
  }
  const keyRing = await startKeyRing(config, stores.keys!, { logger, clock: systemClock, refreshInterval: 0 })
  const sender = new BackChannelSender({ logger })
  let notified = 0
  try {
    const clients = stores.configuration!.clients
    const endSession = new EndSession({
      configuration: { findClient: (clientId) => clients.findClientById(clientId) },
      hints: logoutHintVerifier(keyRing),
      sessions: operational.sessions,
      signer: keyRing,
      signingAlgorithms: keyRing.algorithms,
      backChannel: {
        send(notices) {
          notified += notices.length
          sender.send(notices)
        },
      },
      clock: systemClock,
      logger,
    })
    for (const session of sessions) await endSession.logout(session, {}, config.issuer)
    await sender.idle()
    return notified
  } finally {
    await sender.close(0)
    keyRing.close()
  }
}

const sessions: CliCommand = commandGroup(
  'list|revoke: browser sessions, by subject or sid (revoke sends back-channel logout)',
  usage,
  { list, revoke },
)

export default sessions
