/**
 * `portico resources add|list|show|remove`: API resources, the audiences access tokens are
 * issued to (IdentityServer's ApiResource), with the API scopes each accepts and the secrets the
 * API presents at the introspection endpoint (RFC 7662 §2.1). A generated secret is 256 bits,
 * printed once and stored hashed.
 */
import { type ApiResource, apiResource } from '../../core/models/resources.ts'
import { createHandle } from '../../core/stores/handles.ts'
import { compareCodePoints } from '../../core/stores/order.ts'
import { apiResourceSchema } from '../config/seed-schema.ts'
import { storedSecrets } from '../seed.ts'
import { type CliCommand, UsageError } from './command.ts'
import { commandGroup, openCliStores, parseCliArgs, warnIfEphemeral } from './context.ts'
import { oneName, resourceInput, resourceOptions, warnUndefinedScopes } from './resource-options.ts'
import { formatFields, formatTable, secretSummaries } from './table.ts'

const usage = `usage:
  portico resources add <name> --scope SCOPE... [--display-name TEXT] [--description TEXT]
      [--claim TYPE]... [--generate-secret] [--require-resource-indicator] [--hidden] [--replace]
      [--config PATH]
      (--generate-secret: a secret for the API at the introspection endpoint, shown once)
  portico resources list [--json] [--config PATH]
  portico resources show <name> [--json] [--config PATH]
  portico resources remove <name> [--config PATH]`

async function add(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    ...resourceOptions,
    scope: { type: 'string', multiple: true },
    'generate-secret': { type: 'boolean' },
    'require-resource-indicator': { type: 'boolean' },
  })
  const name = oneName('resources add', positionals)
  if (!values.scope?.length) throw new UsageError('resources add needs at least one --scope')
  const generated = values['generate-secret'] ? createHandle(32) : undefined
  const entry = resourceInput('API resource', apiResourceSchema, name, values, {
    scopes: values.scope,
    ...(generated ? { apiSecrets: [{ value: generated }] } : {}),
    ...(values['require-resource-indicator'] ? { requireResourceIndicator: true } : {}),
  })
  const { config, stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    warnIfEphemeral(config, 'configuration')
    const resources = stores.configuration!.resources
    if (!values.replace && (await resources.findApiResourcesByName([name])).length) {
      console.error(`portico: API resource "${name}" already exists (use --replace to overwrite it)`)
      return 1
    }
    await warnUndefinedScopes(resources, values.scope, false)
    await resources.upsertApiResource(apiResource({ ...entry, apiSecrets: storedSecrets(entry.apiSecrets) }))
  } finally {
    await close()
  }
  console.log(`API resource "${name}" saved`)
  if (generated) console.log(`API secret (shown once, stored hashed): ${generated}`)
  return 0
}

/** An API resource as the CLI shows it: secrets by kind and expiry only. */
function shown({ name, ...resource }: ApiResource) {
  return {
    name,
    ...resource,
    apiSecrets: secretSummaries(resource.apiSecrets),
  }
}

async function list(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } })
  if (positionals.length) throw new UsageError('resources list takes no arguments')
  const { stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    const { apiResources } = await stores.configuration!.resources.getAllResources()
    apiResources.sort((a, b) => compareCodePoints(a.name, b.name))
    if (values.json) console.log(JSON.stringify(apiResources.map(shown), null, 2))
    else if (apiResources.length === 0) console.log('no API resources')
    else {
      const rows = apiResources.map((r) => [
        r.name,
        r.scopes.join(',') || '-',
        String(r.apiSecrets.length),
        r.enabled ? 'yes' : 'no',
      ])
      console.log(formatTable([['NAME', 'SCOPES', 'SECRETS', 'ENABLED'], ...rows]))
    }
    return 0
  } finally {
    await close()
  }
}

async function show(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } })
  const name = oneName('resources show', positionals)
  const { stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    const [resource] = await stores.configuration!.resources.findApiResourcesByName([name])
    if (!resource) {
      console.error(`portico: no API resource "${name}"`)
      return 1
    }
    console.log(values.json ? JSON.stringify(shown(resource), null, 2) : formatFields(shown(resource)))
    return 0
  } finally {
    await close()
  }
}

async function remove(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {})
  const name = oneName('resources remove', positionals)
  const { config, stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    warnIfEphemeral(config, 'configuration')
    if (!(await stores.configuration!.resources.removeApiResource(name))) {
      console.error(`portico: no API resource "${name}"`)
      return 1
    }
    console.log(`API resource "${name}" removed`)
    return 0
  } finally {
    await close()
  }
}

const resources: CliCommand = commandGroup(
  'add, list, show or remove API resources (audiences, their scopes and secrets)',
  usage,
  { add, list, show, remove },
)

export default resources
