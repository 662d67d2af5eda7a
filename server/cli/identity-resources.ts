/**
 * `portico identity-resources list|add`: the scopes that grant user claims (OpenID Connect Core
 * §5.4). `add openid` (or profile, email, address, phone, offline_access) adds the standard
 * definition; any other name needs its `--claim`s.
 */

import { identityResource, standardIdentityResources } from '../../core/models/resources.ts'
import { compareCodePoints } from '../../core/stores/order.ts'
import { identityResourceSchema } from '../config/seed-schema.ts'
import { type CliCommand, UsageError } from './command.ts'
import { commandGroup, openCliStores, parseCliArgs, warnIfEphemeral } from './context.ts'
import { oneName, resourceInput, scopeOptions, scopeTable } from './resource-options.ts'

const usage = `usage:
  portico identity-resources list [--json] [--config PATH]
  portico identity-resources add <name> [--display-name TEXT] [--description TEXT]
      [--claim TYPE]... [--required] [--emphasize] [--hidden] [--replace] [--config PATH]
      (${Object.keys(standardIdentityResources).join(', ')} without options: the standard definition)`

async function add(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, scopeOptions)
  const name = oneName('identity-resources add', positionals)
  const standard = Object.hasOwn(standardIdentityResources, name)
    ? standardIdentityResources[name]
    : undefined
  const customized = Object.keys(values).some((option) => option !== 'config' && option !== 'replace')
  const entry =
    standard && !customized
      ? standard
      : resourceInput('identity resource', identityResourceSchema, name, values)
  if (typeof entry === 'string') throw new UsageError(`"${name}" needs its options`)
  if (!entry.userClaims?.length && name !== 'offline_access') {
    throw new UsageError(`identity resource "${name}" needs at least one --claim`)
  }
  const { config, stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    warnIfEphemeral(config, 'configuration')
    const resources = stores.configuration!.resources
    if (!values.replace && (await resources.findIdentityResourcesByScopeName([name])).length) {
      console.error(`portico: identity resource "${name}" already exists (use --replace to overwrite it)`)
      return 1
    }
    await resources.upsertIdentityResource(identityResource(entry))
  } finally {
    await close()
  }
  console.log(`identity resource "${name}" saved`)
  return 0
}

async function list(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } })
  if (positionals.length) throw new UsageError('identity-resources list takes no arguments')
  const { stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    const { identityResources } = await stores.configuration!.resources.getAllResources()
    identityResources.sort((a, b) => compareCodePoints(a.name, b.name))
    if (values.json) console.log(JSON.stringify(identityResources, null, 2))
    else console.log(identityResources.length ? scopeTable(identityResources) : 'no identity resources')
    return 0
  } finally {
    await close()
  }
}

const identityResources: CliCommand = commandGroup(
  'list or add identity resources (openid, profile, email … or your own claims)',
  usage,
  { list, add },
)

export default identityResources
