/**
 * `portico users list|show|set-password|disable|enable|remove`: an existing local user's account.
 * Neither a password nor its hash is ever printed. Disabling or removing a user refuses their
 * next sign-in; sessions and tokens already issued live on until `sessions revoke` /
 * `grants revoke` end them, which the output says.
 */
import type { User } from '../../core/models/user.ts'
import type { UserStore } from '../../core/stores/configuration.ts'
import { hashPassword } from '../seed.ts'
import { UsageError } from './command.ts'
import { openCliStores, parseCliArgs, warnIfEphemeral } from './context.ts'
import { formatFields, formatTable, isoDate } from './table.ts'

export const passwordOptions = {
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
} as const

export async function passwordOf(values: {
  password?: string | undefined
  'password-stdin'?: boolean | undefined
}): Promise<string | undefined> {
  if (values.password !== undefined && values['password-stdin']) {
    throw new UsageError('give --password or --password-stdin, not both')
  }
  return values['password-stdin'] ? (await Bun.stdin.text()).replace(/\r?\n$/, '') : values.password
}

export function oneUsername(verb: string, positionals: string[]): string {
  const [username, ...extra] = positionals
  if (!username || extra.length) throw new UsageError(`users ${verb} takes exactly one <username>`)
  return username
}

/** What an operator may see of an account: everything but the password hash. */
function shown({ passwordHash, lockout, ...user }: User) {
  return {
    ...user,
    hasPassword: passwordHash !== undefined,
    failedLogins: lockout.failedCount,
    lockedUntil: lockout.lockedUntil === undefined ? null : isoDate(lockout.lockedUntil),
  }
}

/** Opens the configuration store, finds the user by name, runs the body; exit 1 when unknown. */
async function withUser(
  configPath: string | undefined,
  username: string,
  body: (user: User, users: UserStore) => Promise<number>,
  writes = true,
): Promise<number> {
  const { config, stores, close } = await openCliStores(configPath, ['configuration'])
  try {
    if (writes) warnIfEphemeral(config, 'configuration')
    const users = stores.configuration!.users
    const user = await users.findByUsername(username)
    if (!user) {
      console.error(`portico: no user "${username}"`)
      return 1
    }
    return await body(user, users)
  } finally {
    await close()
  }
}

export async function listUsers(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } })
  if (positionals.length) throw new UsageError('users list takes no arguments')
  const { stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    const users = stores.configuration!.users
    if (!users.list) {
      console.error('portico: the configuration store plugin does not list users')
      return 1
    }
    const listed = (await users.list()).map(shown)
    if (values.json) console.log(JSON.stringify(listed, null, 2))
    else if (listed.length === 0) console.log('no users')
    else {
      const rows = listed.map((u) => [
        u.username,
        u.subjectId,
        u.enabled ? 'yes' : 'no',
        u.hasPassword ? 'yes' : 'no',
        u.lockedUntil ?? '-',
      ])
      console.log(formatTable([['USERNAME', 'SUBJECT', 'ENABLED', 'PASSWORD', 'LOCKED UNTIL'], ...rows]))
    }
    return 0
  } finally {
    await close()
  }
}

export async function showUser(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } })
  const username = oneUsername('show', positionals)
  return withUser(
    values.config,
    username,
    async (user) => {
      console.log(values.json ? JSON.stringify(shown(user), null, 2) : formatFields(shown(user)))
      return 0
    },
    false,
  )
}

export async function setPassword(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, passwordOptions)
  const username = oneUsername('set-password', positionals)
  const password = await passwordOf(values)
  if (!password) throw new UsageError('give the new password with --password-stdin (or --password)')
  return withUser(values.config, username, async (user, users) => {
    await users.upsert({ ...user, passwordHash: await hashPassword(password) })
    console.log(`password of "${user.username}" set`)
    return 0
  })
}

export async function setEnabled(verb: 'enable' | 'disable', args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {})
  const username = oneUsername(verb, positionals)
  return withUser(values.config, username, async (user, users) => {
    await users.upsert({ ...user, enabled: verb === 'enable' })
    console.log(`user "${user.username}" ${verb}d`)
    if (verb === 'disable') endSessionsHint(user)
    return 0
  })
}

export async function removeUser(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {})
  const username = oneUsername('remove', positionals)
  return withUser(values.config, username, async (user, users) => {
    await users.remove(user.subjectId)
    console.log(`user "${user.username}" removed (subject ${user.subjectId})`)
    endSessionsHint(user)
    return 0
  })
}

function endSessionsHint(user: User): void {
  console.log(
    `note: sessions and tokens already issued stay valid until they expire; end them now: portico sessions revoke --subject ${user.subjectId} && portico grants revoke --subject ${user.subjectId}`,
  )
}
