/**
 * `portico clients add|list|show|update|remove`: manage clients in the configuration store.
 * `add` and `update` validate like a seed entry; a generated secret is printed once and stored
 * hashed; listings never print secrets, not even their digests.
 */
import * as v from 'valibot'
import { type Client, client as clientModel } from '../../core/models/client.ts'
import { createHandle } from '../../core/stores/handles.ts'
import { formatProblem, problemsFromIssues } from '../config/problems.ts'
import { checkClient } from '../config/resolve.ts'
import { weakSharedSecrets } from '../config/secret-strength.ts'
import { type ClientSeed, clientSchema } from '../config/seed-schema.ts'
import { storedSecrets } from '../seed.ts'
import { type CliCommand, UsageError } from './command.ts'
import { commandGroup, invalidInput, openCliStores, parseCliArgs, warnIfEphemeral } from './context.ts'
import { warnUndefinedScopes } from './resource-options.ts'
import { formatFields, formatTable, secretSummaries } from './table.ts'

const usage = `usage:
  portico clients add <clientId> [--name NAME] [--secret SECRET | --public]
      [--grant TYPE]... [--redirect-uri URI]... [--post-logout-redirect-uri URI]...
      [--scope SCOPE]... [--offline] [--require-dpop] [--json CLIENT_JSON] [--replace] [--config PATH]
  portico clients list [--json] [--config PATH]
  portico clients show <clientId> [--json] [--config PATH]
  portico clients update <clientId> [--name NAME] [--grant TYPE]... [--redirect-uri URI]...
      [--post-logout-redirect-uri URI]... [--scope SCOPE]... [--offline | --no-offline]
      [--require-dpop] [--enable | --disable] [--new-secret] [--json CLIENT_JSON] [--config PATH]
      (a list option replaces that list; --new-secret replaces every secret with a generated one)
  portico clients remove <clientId> [--config PATH]`

const fieldOptions = {
  name: { type: 'string' },
  grant: { type: 'string', multiple: true },
  'redirect-uri': { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  scope: { type: 'string', multiple: true },
  offline: { type: 'boolean' },
  // RFC 9449 §5.2: token requests without a DPoP proof are refused.
  'require-dpop': { type: 'boolean' },
  json: { type: 'string' },
} as const

type FieldValues = {
  [K in keyof typeof fieldOptions]?: (typeof fieldOptions)[K] extends { multiple: true }
    ? string[]
    : (typeof fieldOptions)[K]['type'] extends 'string'
      ? string
      : boolean
}

/** The seed-shaped fields the options name (`--json` first, the named options over it). */
function clientInput(clientId: string, values: FieldValues): Record<string, unknown> {
  let input: Record<string, unknown> = {}
  if (values.json !== undefined) {
    try {
      input = JSON.parse(values.json)
    } catch {
      throw new UsageError('--json is not valid JSON')
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new UsageError('--json must be a JSON object')
    }
  }
  input.clientId = clientId
  if (values.name !== undefined) input.clientName = values.name
  if (values.grant) input.allowedGrantTypes = values.grant
  if (values['redirect-uri']) input.redirectUris = values['redirect-uri']
  if (values['post-logout-redirect-uri']) input.postLogoutRedirectUris = values['post-logout-redirect-uri']
  if (values.scope) input.allowedScopes = values.scope
  if (values.offline !== undefined) input.allowOfflineAccess = values.offline
  if (values['require-dpop']) input.requireDPoP = true
  return input
}

function validClient(input: Record<string, unknown>): ClientSeed {
  const parsed = v.safeParse(clientSchema, input, { abortEarly: false })
  if (!parsed.success) throw invalidInput('client', problemsFromIssues(parsed.issues))
  const weak = weakSharedSecrets(parsed.output.clientSecrets, 'clientSecrets')
  if (weak.length && process.env.NODE_ENV === 'production') throw invalidInput('client', weak)
  for (const problem of weak) console.error(`portico: warning: ${formatProblem(problem)}`)
  return parsed.output
}

function oneClientId(verb: string, positionals: string[]): string {
  const [clientId, ...extra] = positionals
  if (!clientId || extra.length) throw new UsageError(`clients ${verb} takes exactly one <clientId>`)
  return clientId
}

async function add(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    ...fieldOptions,
    secret: { type: 'string' },
    public: { type: 'boolean' },
    replace: { type: 'boolean' },
  })
  const clientId = oneClientId('add', positionals)
  const input = clientInput(clientId, values)
  if (values.public) input.requireClientSecret = false
  let generated: string | undefined
  if (values.secret !== undefined) input.clientSecrets = [{ value: values.secret }]
  else if (!values.public && input.clientSecrets === undefined && input.requireClientSecret !== false) {
    generated = createHandle(32)
    input.clientSecrets = [{ value: generated }]
  }
  const parsed = validClient(input)
  const { config, stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    warnIfEphemeral(config, 'configuration')
    const problems = checkClient(parsed, 'client', config.signing.algorithms)
    if (problems.length) throw invalidInput('client', problems)
    const clients = stores.configuration!.clients
    if (!values.replace && (await clients.findClientById(clientId))) {
      console.error(`portico: client "${clientId}" already exists (use --replace to overwrite it)`)
      return 1
    }
    await warnUndefinedScopes(stores.configuration!.resources, parsed.allowedScopes ?? [])
    await clients.upsert(clientModel({ ...parsed, clientSecrets: storedSecrets(parsed.clientSecrets) }))
  } finally {
    await close()
  }
  console.log(`client "${clientId}" saved`)
  if (generated) console.log(`client secret (shown once, stored hashed): ${generated}`)
  return 0
}

async function update(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    ...fieldOptions,
    'no-offline': { type: 'boolean' },
    enable: { type: 'boolean' },
    disable: { type: 'boolean' },
    'new-secret': { type: 'boolean' },
  })
  const clientId = oneClientId('update', positionals)
  if (values.enable && values.disable) throw new UsageError('give --enable or --disable, not both')
  if (values.offline && values['no-offline']) throw new UsageError('give --offline or --no-offline, not both')
  const input = clientInput(clientId, values)
  if (values['no-offline']) input.allowOfflineAccess = false
  if (values.enable || values.disable) input.enabled = Boolean(values.enable)
  const generated = values['new-secret'] ? createHandle(32) : undefined
  if (generated) input.clientSecrets = [{ value: generated }]
  const changes = Object.fromEntries(
    Object.entries(validClient(input)).filter(([, value]) => value !== undefined),
  )
  const { config, stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    warnIfEphemeral(config, 'configuration')
    const clients = stores.configuration!.clients
    const existing = await clients.findClientById(clientId)
    if (!existing) {
      console.error(`portico: no client "${clientId}"`)
      return 1
    }
    const secrets = changes.clientSecrets
      ? storedSecrets(changes.clientSecrets as ClientSeed['clientSecrets'])
      : existing.clientSecrets
    const updated = clientModel({ ...existing, ...changes, clientSecrets: secrets } as Client)
    const problems = checkClient(updated as ClientSeed, 'client', config.signing.algorithms)
    if (problems.length) throw invalidInput('client', problems)
    if (changes.allowedScopes)
      await warnUndefinedScopes(stores.configuration!.resources, updated.allowedScopes)
    await clients.upsert(updated)
  } finally {
    await close()
  }
  console.log(`client "${clientId}" updated`)
  if (generated) console.log(`client secret (shown once, stored hashed): ${generated}`)
  return 0
}

/** A client as the CLI shows it: secrets by kind and expiry only. */
function shown({ clientId, ...client }: Client) {
  return {
    clientId,
    ...client,
    clientSecrets: secretSummaries(client.clientSecrets),
  }
}

async function list(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } })
  if (positionals.length) throw new UsageError('clients list takes no arguments')
  const { stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    const clients = await stores.configuration!.clients.list()
    if (values.json) console.log(JSON.stringify(clients.map(shown), null, 2))
    else if (clients.length === 0) console.log('no clients')
    else {
      const rows = clients.map((c) => [
        c.clientId,
        c.requireClientSecret ? 'confidential' : 'public',
        c.allowedGrantTypes.join(',') || '-',
        c.allowedScopes.join(',') || '-',
        c.enabled ? 'yes' : 'no',
      ])
      console.log(formatTable([['CLIENT', 'KIND', 'GRANTS', 'SCOPES', 'ENABLED'], ...rows]))
    }
    return 0
  } finally {
    await close()
  }
}

async function show(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } })
  const clientId = oneClientId('show', positionals)
  const { stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    const client = await stores.configuration!.clients.findClientById(clientId)
    if (!client) {
      console.error(`portico: no client "${clientId}"`)
      return 1
    }
    const fields = shown(client)
    if (values.json) console.log(JSON.stringify(fields, null, 2))
    else console.log(formatFields(fields))
    return 0
  } finally {
    await close()
  }
}

async function remove(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {})
  const clientId = oneClientId('remove', positionals)
  const { config, stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    warnIfEphemeral(config, 'configuration')
    if (!(await stores.configuration!.clients.remove(clientId))) {
      console.error(`portico: no client "${clientId}"`)
      return 1
    }
    console.log(`client "${clientId}" removed`)
    return 0
  } finally {
    await close()
  }
}

const clients: CliCommand = commandGroup('add, list, show, update or remove clients', usage, {
  add,
  list,
  show,
  update,
  remove,
})

export default clients
