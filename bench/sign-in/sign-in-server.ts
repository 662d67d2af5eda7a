/**
 * Portico for the sign-in benchmarks: the token benchmark's server process with relying
 * parties and users added. Passwords are hashed here, before the server starts, by Portico's
 * own `hashPassword` (the parameters it ships), so the server's start and its peak memory do
 * not include the seed's hashing; every login then verifies a hash made as `portico users add`
 * makes one.
 */
import { hashPassword } from '../../core/protocol/login/credential-check.ts'
import { type BenchStore, type PorticoServer, startPorticoServer } from '../token/portico-server.ts'

/** The relying party's callback; never contacted (the driver stops there). */
export const redirectUri = 'http://127.0.0.1:4999/cb'
export const rpSecret = 'bench-rp-secret-0123456789'
/** Asks consent on every sign-in (the whole flow). */
export const consentingClient = 'bench-web'
/** Skips consent (`requireConsent: false`), so `prompt=none` mints codes without a page. */
export const silentClient = 'bench-silent'
export const scope = 'openid profile email api1'

export interface BenchUser {
  username: string
  password: string
  subjectId: string
}

export function benchUsers(count: number): BenchUser[] {
  return Array.from({ length: count }, (_, i) => ({
    username: `bench-user-${i}`,
    password: `bench-password-${i}-0123456789`,
    subjectId: `bench-sub-${i}`,
  }))
}

export async function startSignInServer(options: {
  port: number
  store: BenchStore
  users: BenchUser[]
  /** Other argon2id parameters for the users' hashes (a login verifies with the hash's own). */
  argon2?: { memoryCost: number; timeCost: number }
}): Promise<PorticoServer> {
  const { argon2 } = options
  const hash = (password: string) =>
    argon2 ? Bun.password.hash(password, { algorithm: 'argon2id', ...argon2 }) : hashPassword(password)
  const users = []
  for (const user of options.users) {
    users.push({
      subjectId: user.subjectId,
      username: user.username,
      passwordHash: await hash(user.password),
      claims: { name: `Bench User ${user.subjectId}`, email: `${user.username}@example.test` },
    })
  }
  const client = (clientId: string, requireConsent: boolean) => ({
    clientId,
    clientSecrets: [{ value: rpSecret }],
    allowedGrantTypes: ['authorization_code'],
    redirectUris: [redirectUri],
    allowedScopes: scope.split(' '),
    requireConsent,
  })
  return startPorticoServer({
    port: options.port,
    store: options.store,
    accessTokenAlgorithm: 'ES256',
    // Each simulated browser comes through a trusted proxy with an address of its own, as users
    // behind a reverse proxy do; the login throttle counts per X-Forwarded-For address.
    trustProxy: ['127.0.0.1'],
    seed: { clients: [client(consentingClient, true), client(silentClient, false)], users },
  })
}

/** RFC 7636 §4.1–4.2: a verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
  const challenge = new Bun.CryptoHasher('sha256').update(verifier).digest('base64url')
  return { verifier, challenge }
}
