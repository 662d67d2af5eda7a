/**
 * `portico clients add|list|remove`: manage clients in the configuration store.
 * `add` validates like a seed entry; a generated secret is printed once and stored hashed.
 */
import * as v from 'valibot'
import { client as clientModel } from '../../core/models/client.ts'
import { createHandle } from '../../core/stores/handles.ts'
import { ConfigError, formatProblem, problemsFromIssues } from '../config/problems.ts'
import { checkClient } from '../config/resolve.ts'
import { weakSharedSecrets } from '../config/secret-strength.ts'
import { clientSchema } from '../config/seed-schema.ts'
import { storedSecrets } from '../seed.ts'
import { type CliCommand, UsageError } from './command.ts'
import { openCliStores, parseCliArgs, runCli, warnIfEphemeral } from './context.ts'

const usage = `usage:
  bun run portico clients add <clientId> [--name NAME] [--secret SECRET | --public]
      [--grant TYPE]... [--redirect-uri URI]... [--post-logout-redirect-uri URI]...
      [--scope SCOPE]... [--offline] [--json CLIENT_JSON] [--replace] [--config PATH]
  bun run portico clients list [--json] [--config PATH]
  bun run portico clients remove <clientId> [--config PATH]`

const addOptions = {
  name: { type: 'string' },
  secret: { type: 'string' },
  public: { type: 'boolean' },
  grant: { type: 'string', multiple: true },
  'redirect-uri': { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  scope: { type: 'string', multiple: true },
  offline: { type: 'boolean' },
  json: { type: 'string' },
  replace: { type: 'boolean' },
} as const

async function add(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, addOptions)
  const [clientId, ...extra] = positionals
  if (!clientId || extra.length) throw new UsageError('clients add takes exactly one <clientId>')
  let input: Record<string, unknown> = {}
  if (values.json !== undefined) {
    try {
      input = JSON.parse(values.json)
    } catch {
      throw new UsageError('--json is not valid JSON')
    }
  }
  input.clientId = clientId
  if (values.name !== undefined) input.clientName = values.name
  if (values.grant) input.allowedGrantTypes = values.grant
  if (values['redirect-uri']) input.redirectUris = values['redirect-uri']
  if (values['post-logout-redirect-uri']) input.postLogoutRedirectUris = values['post-logout-redirect-uri']
  if (values.scope) input.allowedScopes = values.scope
  if (values.offline) input.allowOfflineAccess = true
  if (values.public) input.requireClientSecret = false
  let generated: string | undefined
  if (values.secret !== undefined) input.clientSecrets = [{ value: values.secret }]
  else if (!values.public && input.clientSecrets === undefined && input.requireClientSecret !== false) {
    generated = createHandle(32)
    input.clientSecrets = [{ value: generated }]
  }

  const parsed = v.safeParse(clientSchema, input, { abortEarly: false })
  if (!parsed.success) throw new ConfigError(problemsFromIssues(parsed.issues), 'client')
  const weak = weakSharedSecrets(parsed.output.clientSecrets, 'clientSecrets')
  if (weak.length && process.env.NODE_ENV === 'production') throw new ConfigError(weak, 'client')
  for (const problem of weak) console.error(`portico: warning: ${formatProblem(problem)}`)
  const { config, stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    warnIfEphemeral(config, 'configuration')
    const problems = checkClient(parsed.output, 'client', config.signing.algorithms)
    if (problems.length) throw new ConfigError(problems, 'client')
    const clients = stores.configuration!.clients
    if (!values.replace && (await clients.findClientById(clientId))) {
      console.error(`portico: client "${clientId}" already exists (use --replace to overwrite it)`)
      return 1
    }
    await clients.upsert(
      clientModel({ ...parsed.output, clientSecrets: storedSecrets(parsed.output.clientSecrets) }),
    )
  } finally {
    await close()
  }
  console.log(`client "${clientId}" saved`)
  if (generated) console.log(`client secret (shown once, stored hashed): ${generated}`)
  return 0
}

async function list(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } })
  if (positionals.length) throw new UsageError('clients list takes no arguments')
  const { stores, close } = await openCliStores(values.config, ['configuration'])
  try {
    const clients = await stores.configuration!.clients.list()
    if (values.json) {
      // Secrets are digests already; still, listing them serves no one.
      const shown = clients.map(({ clientSecrets, ...rest }) => ({
        ...rest,
        clientSecrets: clientSecrets.length,
      }))
      console.log(JSON.stringify(shown, null, 2))
      return 0
    }
    if (clients.length === 0) console.log('no clients')
    for (const client of clients) {
      const kind = client.requireClientSecret ? 'confidential' : 'public'
      const state = client.enabled ? '' : ' (disabled)'
      console.log(`${client.clientId}\t${kind}\t${client.allowedGrantTypes.join(',') || '-'}${state}`)
    }
    return 0
  } finally {
    await close()
  }
}

async function remove(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {})
  const [clientId, ...extra] = positionals
  if (!clientId || extra.length) throw new UsageError('clients remove takes exactly one <clientId>')
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

const subcommands: Record<string, (args: string[]) => Promise<number>> = { add, list, remove }

const clients: CliCommand = {
  summary: 'add, list or remove clients in the configuration store',
  run: ([sub, ...args]) =>
    runCli(usage, async () => {
      const run = sub ? subcommands[sub] : undefined
      if (!run)
        throw new UsageError(
          `clients needs a subcommand (given ${sub ? `"${sub}"` : 'none'}, allowed add, list, remove)`,
        )
      return run(args)
    }),
}

export default clients
