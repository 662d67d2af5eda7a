/**
 * `portico scopes add|list|remove`: API scopes, what clients ask for in `scope` (IdentityServer's
 * ApiScope). A client's `allowedScopes` names them; a token request for one not defined here is
 * refused with invalid_scope (RFC 6749 §5.2).
 */
import { apiScope } from '../../core/models/resources.ts'
import { compareCodePoints } from '../../core/stores/order.ts'
import { apiScopeSchema } from '../config/seed-schema.ts'
import { type CliCommand, UsageError } from './command.ts'
import { commandGroup, openCliStores, parseCliArgs, warnIfEphemeral } from './context.ts'
import { oneName, resourceInput, scopeOptions, scopeTable } from './resource-options.ts'

const usage = `usage:
  portico scopes add <name> [--display-name TEXT] [--description TEXT] [--claim TYPE]...
      [--required] [--emphasize] [--hidden] [--replace] [--config PATH]
  portico scopes list [--json] [--config PATH]
  portico scopes remove <name> [--config PATH]`

async function add(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, scopeOptions)
  const name = oneName('scopes add', positionals)
  const entry = resourceInput('API scope', apiScopeSchema, name, values)
  const { config, stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    warnIfEphemeral(config, 'configuration')
    const resources = stores.configuration!.resources
    if (!values.replace && (await resources.findApiScopesByName([name])).length) {
      console.error(`portico: API scope "${name}" already exists (use --replace to overwrite it)`)
      return 1
    }
    await resources.upsertApiScope(apiScope(entry))
  } finally {
    await close()
  }
  console.log(`API scope "${name}" saved`)
  return 0
}

async function list(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } })
  if (positionals.length) throw new UsageError('scopes list takes no arguments')
  const { stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    const { apiScopes } = await stores.configuration!.resources.getAllResources()
    apiScopes.sort((a, b) => compareCodePoints(a.name, b.name))
    if (values.json) console.log(JSON.stringify(apiScopes, null, 2))
    else console.log(apiScopes.length ? scopeTable(apiScopes) : 'no API scopes')
    return 0
  } finally {
    await close()
  }
}

async function remove(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {})
  const name = oneName('scopes remove', positionals)
  const { config, stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    warnIfEphemeral(config, 'configuration')
    if (!(await stores.configuration!.resources.removeApiScope(name))) {
      console.error(`portico: no API scope "${name}"`)
      return 1
    }
    console.log(`API scope "${name}" removed`)
    return 0
  } finally {
    await close()
  }
}

const scopes: CliCommand = commandGroup('add, list or remove API scopes', usage, { add, list, remove })

export default scopes
