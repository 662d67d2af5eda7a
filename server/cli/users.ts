/**
 * `portico users add|list|show|set-password|disable|enable|remove`: local users. Passwords are
 * hashed with argon2id and never printed, nor their hashes; prefer `--password-stdin` so a
 * password stays out of shell history and process listings.
 */
import { randomUUID } from 'node:crypto'
import * as v from 'valibot'
import { noLockout, type User } from '../../core/models/user.ts'
import { StoreConflictError } from '../../core/stores/errors.ts'
import { problemsFromIssues } from '../config/problems.ts'
import { userSchema } from '../config/seed-schema.ts'
import { hashPassword } from '../seed.ts'
import { type CliCommand, UsageError } from './command.ts'
import { commandGroup, invalidInput, openCliStores, parseCliArgs, warnIfEphemeral } from './context.ts'
import {
  listUsers,
  oneUsername,
  passwordOf,
  passwordOptions,
  removeUser,
  setEnabled,
  setPassword,
  showUser,
} from './user-accounts.ts'

const usage = `usage:
  portico users add <username> [--subject ID] [--password PASSWORD | --password-stdin]
      [--claim NAME=VALUE]... [--config PATH]
  portico users list [--json] [--config PATH]
  portico users show <username> [--json] [--config PATH]
  portico users set-password <username> --password-stdin | --password PASSWORD [--config PATH]
  portico users disable <username> [--config PATH]
  portico users enable <username> [--config PATH]
  portico users remove <username> [--config PATH]`

async function add(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    ...passwordOptions,
    subject: { type: 'string' },
    claim: { type: 'string', multiple: true },
  })
  const username = oneUsername('add', positionals)
  const password = await passwordOf(values)
  const claims: Record<string, unknown> = {}
  for (const claim of values.claim ?? []) {
    const at = claim.indexOf('=')
    if (at < 1) throw new UsageError(`--claim must be NAME=VALUE (given "${claim}")`)
    const value = claim.slice(at + 1)
    claims[claim.slice(0, at)] = value === 'true' ? true : value === 'false' ? false : value
  }
  const input = { subjectId: values.subject ?? randomUUID(), username, password, claims }
  const parsed = v.safeParse(userSchema, input, { abortEarly: false })
  if (!parsed.success) throw invalidInput('user', problemsFromIssues(parsed.issues))

  const { config, stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    warnIfEphemeral(config, 'configuration')
    const users = stores.configuration!.users
    const existing = await users.findBySubjectId(parsed.output.subjectId)
    const user: User = {
      subjectId: parsed.output.subjectId,
      username,
      claims: { ...existing?.claims, ...claims },
      enabled: true,
      lockout: existing?.lockout ?? { ...noLockout },
    }
    const passwordHash = password !== undefined ? await hashPassword(password) : existing?.passwordHash
    if (passwordHash !== undefined) user.passwordHash = passwordHash
    try {
      await users.upsert(user)
    } catch (error) {
      if (error instanceof StoreConflictError) {
        console.error(`portico: username "${username}" is taken by another subject`)
        return 1
      }
      throw error
    }
    console.log(`user "${username}" saved (subject ${user.subjectId})`)
    if (passwordHash === undefined) console.log('note: the user has no password and cannot sign in locally')
    return 0
  } finally {
    await close()
  }
}

const users: CliCommand = commandGroup(
  'add, list, show, set-password, disable, enable or remove local users',
  usage,
  {
    add,
    list: listUsers,
    show: showUser,
    'set-password': setPassword,
    disable: (args) => setEnabled('disable', args),
    enable: (args) => setEnabled('enable', args),
    remove: removeUser,
  },
)

export default users
