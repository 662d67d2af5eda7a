/**
 * `portico users add`: create or update a local user. The password is hashed with argon2id;
 * prefer `--password-stdin` so it stays out of shell history and process listings.
 */
import { randomUUID } from 'node:crypto'
import * as v from 'valibot'
import { noLockout, type User } from '../../core/models/user.ts'
import { StoreConflictError } from '../../core/stores/errors.ts'
import { ConfigError, problemsFromIssues } from '../config/problems.ts'
import { userSchema } from '../config/seed-schema.ts'
import { hashPassword } from '../seed.ts'
import { type CliCommand, UsageError } from './command.ts'
import { openCliStores, parseCliArgs, runCli, warnIfEphemeral } from './context.ts'

const usage = `usage:
  bun run portico users add <username> [--subject ID] [--password PASSWORD | --password-stdin]
      [--claim NAME=VALUE]... [--config PATH]`

async function add(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    subject: { type: 'string' },
    password: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    claim: { type: 'string', multiple: true },
  })
  const [username, ...extra] = positionals
  if (!username || extra.length) throw new UsageError('users add takes exactly one <username>')
  if (values.password !== undefined && values['password-stdin']) {
    throw new UsageError('give --password or --password-stdin, not both')
  }
  const password = values['password-stdin'] ? (await Bun.stdin.text()).replace(/\r?\n$/, '') : values.password
  const claims: Record<string, unknown> = {}
  for (const claim of values.claim ?? []) {
    const at = claim.indexOf('=')
    if (at < 1) throw new UsageError(`--claim must be NAME=VALUE (given "${claim}")`)
    const value = claim.slice(at + 1)
    claims[claim.slice(0, at)] = value === 'true' ? true : value === 'false' ? false : value
  }
  const input = { subjectId: values.subject ?? randomUUID(), username, password, claims }
  const parsed = v.safeParse(userSchema, input, { abortEarly: false })
  if (!parsed.success) throw new ConfigError(problemsFromIssues(parsed.issues), 'user')

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

const users: CliCommand = {
  summary: 'add (or update) a local user',
  run: ([sub, ...args]) =>
    runCli(usage, async () => {
      if (sub !== 'add') {
        throw new UsageError(`users needs a subcommand (given ${sub ? `"${sub}"` : 'none'}, allowed add)`)
      }
      return add(args)
    }),
}

export default users
