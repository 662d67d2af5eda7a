/**
 * `portico keys list|rotate|revoke`: inspect and steer the key ring of a deployment. Every
 * running instance picks a change up within its refresh interval (`cache.keyRefreshSeconds`, 60 s).
 * `keys new-secret` prints a PORTICO_KEY_SECRET; `keys rewrap` moves the stored keys from an
 * old one to the configured one.
 */
import { systemClock } from '../../core/clock.ts'
import {
  type FamilyUse,
  type KeyInfo,
  type KeyRing,
  KeyRingError,
  rewrapKeyRecords,
} from '../../core/keys/index.ts'
import { ConfigError } from '../config/problems.ts'
import { resolveKeySecret, startKeyRing } from '../key-ring.ts'
import { keySecretRule, looksLikeKeyMaterial, newKeySecret } from '../key-secret.ts'
import { type CliCommand, UsageError } from './command.ts'
import { cliLogger, commandGroup, openCliStores, parseCliArgs } from './context.ts'
import { formatTable, isoDate } from './table.ts'

const usage = `usage:
  portico keys list [--json] [--config PATH]
  portico keys rotate [--activate-now] [--alg ALG] [--data-protection] [--config PATH]
  portico keys revoke <kid> [--config PATH]
  portico keys new-secret
  portico keys rewrap --from-secret-stdin | --from-secret OLD [--config PATH]
      (re-encrypts every key from the old secret to PORTICO_KEY_SECRET; stop the servers first)`

async function withKeyRing<T>(
  configPath: string | undefined,
  body: (ring: KeyRing) => Promise<T>,
): Promise<T> {
  const { config, stores, close } = await openCliStores(configPath, ['keys'])
  try {
    const ring = await startKeyRing(config, stores.keys!, {
      logger: cliLogger(),
      clock: systemClock,
      refreshInterval: 0,
    })
    try {
      return await body(ring)
    } finally {
      ring.close()
    }
  } finally {
    await close()
  }
}

function table(keys: KeyInfo[]): string {
  return formatTable([
    ['KID', 'USE', 'ALG', 'STATUS', 'CREATED', 'ACTIVATES', 'RETIRES', 'DELETES'],
    ...keys.map((k) => [
      k.kid,
      k.use,
      k.alg,
      k.status,
      isoDate(k.createdAt),
      isoDate(k.activatesAt),
      isoDate(k.retiresAt),
      isoDate(k.deletesAt),
    ]),
  ])
}

async function list(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } })
  if (positionals.length) throw new UsageError('keys list takes no arguments')
  const keys = await withKeyRing(values.config, (ring) => ring.list())
  console.log(values.json ? JSON.stringify(keys, null, 2) : table(keys))
  return 0
}

async function rotate(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    'activate-now': { type: 'boolean' },
    alg: { type: 'string' },
    'data-protection': { type: 'boolean' },
  })
  if (positionals.length) throw new UsageError('keys rotate takes no arguments')
  const use: FamilyUse = values['data-protection'] ? 'data-protection' : 'signing'
  const activateNow = values['activate-now'] ?? false
  const created = await withKeyRing(values.config, async (ring) => {
    try {
      const kids = await ring.rotate({ use, alg: values.alg, activateNow })
      const keys = await ring.list()
      return keys.filter((key) => kids.includes(key.kid))
    } catch (error) {
      if (error instanceof KeyRingError && values.alg !== undefined) {
        throw new UsageError(`--alg "${values.alg}" is not one of the configured ${use} algorithms`)
      }
      throw error
    }
  })
  for (const key of created) {
    console.log(
      activateNow
        ? `${key.use} key ${key.kid} (${key.alg}) is active now`
        : `${key.use} key ${key.kid} (${key.alg}) announced; it becomes active at ${isoDate(key.activatesAt)}`,
    )
  }
  return 0
}

async function revoke(args: string[]): Promise<number> {
  // A kid made before kids avoided a leading dash would otherwise read as an option.
  const dashed = args[0]?.startsWith('-') && !args[0].startsWith('--') ? args[0] : undefined
  const { values, positionals } = parseCliArgs(dashed ? args.slice(1) : args, {})
  const [kid, ...extra] = dashed ? [dashed, ...positionals] : positionals
  if (!kid || extra.length) throw new UsageError('keys revoke takes exactly one <kid>')
  const revoked = await withKeyRing(values.config, (ring) => ring.revoke(kid))
  if (!revoked) {
    console.error(`portico: no key "${kid}" in the keys store`)
    return 1
  }
  console.log(
    `key ${kid} revoked: removed from the JWKS; every instance refuses it within its refresh interval`,
  )
  return 0
}

async function newSecret(args: string[]): Promise<number> {
  const { positionals } = parseCliArgs(args, {})
  if (positionals.length) throw new UsageError('keys new-secret takes no arguments')
  console.log(newKeySecret())
  return 0
}

async function rewrap(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, {
    'from-secret': { type: 'string' },
    'from-secret-stdin': { type: 'boolean' },
  })
  if (positionals.length) throw new UsageError('keys rewrap takes no arguments')
  if ((values['from-secret'] === undefined) === !values['from-secret-stdin']) {
    throw new UsageError('give the old secret with --from-secret-stdin (or --from-secret), once')
  }
  // stdin keeps the old secret out of shell history and process listings.
  const from = values['from-secret-stdin'] ? (await Bun.stdin.text()).trim() : values['from-secret']!
  if (!from) throw new UsageError('the old secret is empty')
  const { config, stores, close } = await openCliStores(values.config, ['keys'])
  try {
    const to = await resolveKeySecret(config, { logger: cliLogger(), clock: systemClock })
    if (!looksLikeKeyMaterial(to)) {
      const problem = { path: 'PORTICO_KEY_SECRET', message: keySecretRule }
      if (process.env.NODE_ENV === 'production') throw new ConfigError([problem], 'key secret')
      console.error(`portico: warning: ${problem.path}: ${problem.message}`)
    }
    const { rewrapped, unchanged } = await rewrapKeyRecords(stores.keys!, from, to)
    console.log(
      `re-encrypted ${rewrapped} key records under PORTICO_KEY_SECRET (${unchanged} already were); start every instance with it`,
    )
  } finally {
    await close()
  }
  return 0
}

const verbs: Record<string, (args: string[]) => Promise<number>> = {
  list,
  rotate,
  revoke,
  'new-secret': newSecret,
  rewrap,
}

const keys: CliCommand = commandGroup(
  'list, rotate or revoke signing and data-protection keys; new-secret, rewrap the key secret',
  usage,
  verbs,
)

export default keys
