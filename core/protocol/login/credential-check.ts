/**
 * The check behind the login form: a user name and password in, the authenticated user out.
 * Portico's own check reads the configuration store's users; a team replaces it with its own
 * `authenticate` function in a `.ts` config.
 */
import { availableParallelism } from 'node:os'
import type { UserStore } from '../../stores/configuration.ts'

export interface AuthenticatedUser {
  /** The `sub` claim. */
  subjectId: string
  displayName?: string
  /** Authentication methods (OIDC Core §2 `amr`, RFC 8176 values such as `pwd`, `mfa`). */
  amr?: string[]
  claims?: Record<string, unknown>
}

export interface LoginContext {
  issuer: string
  clientId?: string
  remoteAddress?: string
}

/** Resolves to the user, or to null/undefined when the credentials are wrong (never says why). */
export type Authenticate = (
  username: string,
  password: string,
  context: LoginContext,
) => Promise<AuthenticatedUser | null | undefined>

/**
 * Checks the configuration store's users, whose passwords are argon2id hashes (`Bun.password`).
 * An unknown user, one without a password or a disabled one is answered like a wrong password,
 * after the same hashing work, so neither the result nor its timing tells which (no enumeration).
 */
export function storeCredentialCheck(users: UserStore): Authenticate {
  return async function checkStoredCredentials(username, password) {
    const user = await users.findByUsername(username)
    const hash = user?.enabled ? user.passwordHash : undefined
    if (hash === undefined) {
      await verifyQuietly(password, await dummyHash())
      return undefined
    }
    if (!(await verifyQuietly(password, hash))) return undefined
    const name = user!.claims.name
    return {
      subjectId: user!.subjectId,
      displayName: typeof name === 'string' && name ? name : user!.username,
      amr: ['pwd'],
      claims: user!.claims,
    }
  }
}

/**
 * Verifications running at once, per process: one per core. Each argon2id check holds 64 MiB
 * and a core for ~150 ms; unbounded, parallel logins only time-share the cores, multiply the
 * memory and make every other request wait behind them (docs/performance.md, "Sign-in").
 */
const verificationSlots = Math.max(1, availableParallelism())
let running = 0
const waiting: (() => void)[] = []

/** A malformed stored hash never authenticates, and never becomes a 500. */
async function verifyQuietly(password: string, hash: string): Promise<boolean> {
  if (running >= verificationSlots) await new Promise<void>((resolve) => waiting.push(resolve))
  else running++
  try {
    return await Bun.password.verify(password, hash).catch(() => false)
  } finally {
    // The slot passes straight to the next in line, if any.
    const next = waiting.shift()
    if (next) next()
    else running--
  }
}

/**
 * How every user password is hashed (the seed and `portico users add` call this): argon2id with
 * Bun's defaults, 64 MiB of memory and 2 passes, within OWASP's argon2id recommendations.
 */
export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: 'argon2id' })
}

let dummy: Promise<string> | undefined

/** A hash of a random password, made once like users' hashes, so checking it costs the same. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomUUID())
  return dummy
}
