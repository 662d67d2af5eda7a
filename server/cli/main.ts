/**
 * `portico <verb> [args]`: the admin CLI (`bun run portico` in a clone, `npx portico` installed).
 *
 * Adding a verb group: create `server/cli/<group>.ts` whose default export is a `CliCommand`
 * (see command.ts; `openCliStores` in context.ts loads the config and opens stores for you),
 * then add ONE line to `commands` below. Imports are lazy, so a verb loads only what it uses.
 *
 * Exit status: 0 success, 1 failure (store unreachable, not found), 2 usage or config mistake.
 */
import { type CliCommand, usageOf, wantsHelp } from './command.ts'

const commands: Record<string, () => Promise<{ default: CliCommand }>> = {
  check: () => import('./check.ts'),
  clients: () => import('./clients.ts'),
  grants: () => import('./grants.ts'),
  'identity-resources': () => import('./identity-resources.ts'),
  keys: () => import('./keys.ts'),
  migrate: () => import('./migrate.ts'),
  resources: () => import('./resources.ts'),
  scopes: () => import('./scopes.ts'),
  sessions: () => import('./sessions.ts'),
  users: () => import('./users.ts'),
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...args] = argv
  if (!verb || verb === 'help' || verb === '--help' || verb === '-h') {
    console.log(await help())
    return verb ? 0 : 2
  }
  const load = Object.hasOwn(commands, verb) ? commands[verb] : undefined
  if (!load) {
    console.error(`portico: unknown command "${verb}" (allowed ${Object.keys(commands).join(', ')})`)
    return 2
  }
  const command = (await load()).default
  if (wantsHelp(args)) {
    console.log(usageOf(command.usage, args[0]?.startsWith('-') ? undefined : args[0]))
    return 0
  }
  return command.run(args)
}

async function help(): Promise<string> {
  const lines = [
    'usage: portico <command> [options]',
    '  (in a clone: bun run portico … or npm run portico -- …; installed in a project: npx portico …)',
    '',
    'commands:',
  ]
  for (const [name, load] of Object.entries(commands)) {
    const command = (await load()).default
    lines.push(`  ${name.padEnd(20)} ${command.summary}`)
  }
  return lines.join('\n')
}

process.exit(await main(process.argv.slice(2)))
