/**
 * The browser's login session (OpenID Connect Session Management's OP session): a
 * server-side record in the operational store, so every instance sees it and it can be ended
 * from anywhere, referenced by a cookie holding a random handle sealed with the key ring.
 * The store keeps only the handle's digest, so a leaked table signs nobody in.
 */
import type { Clock } from '../../clock.ts'
import type { KeyRing } from '../../keys/key-ring.ts'
import type { UserSession } from '../../models/grant.ts'
import { createHandle, grantKey } from '../../stores/handles.ts'
import type { UserSessionStore } from '../../stores/operational.ts'

export type DataProtector = Pick<KeyRing, 'protect' | 'unprotect'>

/** Who signed in and how; what the session remembers beyond the subject. */
export interface SignIn {
  subjectId: string
  displayName?: string | undefined
  /** RFC 8176 authentication method references, e.g. `pwd`. */
  amr: string[]
  /** Claims a custom `authenticate` returned, for users the configuration store does not hold. */
  claims?: Record<string, unknown> | undefined
}

export interface BrowserSession extends SignIn {
  /** The store key (digest of the cookie's handle). */
  key: string
  /** The `sid` claim (OIDC Front-/Back-Channel Logout). */
  sessionId: string
  /** Epoch seconds of the authentication (`auth_time`). */
  authTime: number
  /** Clients that received tokens in this session (for logout). */
  clients: string[]
  expiresAt: number
}

interface SessionData {
  authTime: number
  amr: string[]
  clients: string[]
  claims?: Record<string, unknown> | undefined
}

interface SessionCookie {
  h: string
}

export interface BrowserSessionOptions {
  store: UserSessionStore
  protector: DataProtector
  clock: Clock
  /** Seconds a session lasts (Duende's cookie default: 10 hours). */
  lifetimeSeconds: number
  /** Whether use extends the session (renewed once a quarter of its lifetime has passed). */
  sliding: boolean
}

/** What reading the cookie gave: the session, and a fresh cookie value when it slid forward. */
export interface CurrentSession {
  session: BrowserSession
  renewedCookie?: string | undefined
}

const cookiePurpose = 'session-cookie'
const keyType = 'user_session'

export class BrowserSessions {
  constructor(private readonly options: BrowserSessionOptions) {}

  get lifetimeSeconds(): number {
    return this.options.lifetimeSeconds
  }

  /** Starts a session; returns it with the cookie value that refers to it. */
  async signIn(user: SignIn): Promise<{ cookie: string; session: BrowserSession }> {
    const { store, protector, clock, lifetimeSeconds } = this.options
    const now = clock.now()
    const handle = createHandle(32)
    const data: SessionData = { authTime: Math.floor(now / 1000), amr: user.amr, clients: [] }
    if (user.claims) data.claims = user.claims
    const record: UserSession = {
      key: grantKey(handle, keyType),
      subjectId: user.subjectId,
      sessionId: createHandle(16),
      createdAt: now,
      renewedAt: now,
      expiresAt: now + lifetimeSeconds * 1000,
      data: JSON.stringify(data),
    }
    if (user.displayName) record.displayName = user.displayName
    await store.create(record)
    const cookie = await protector.protect(
      cookiePurpose,
      { h: handle } satisfies SessionCookie,
      lifetimeSeconds,
    )
    return { cookie, session: toSession(record, data) }
  }

  /** The session a cookie refers to, or undefined when the cookie is absent, forged or the session ended. */
  async current(cookie: string | undefined): Promise<CurrentSession | undefined> {
    if (!cookie) return undefined
    const sealed = await this.options.protector.unprotect<SessionCookie>(cookiePurpose, cookie)
    if (typeof sealed?.h !== 'string') return undefined
    const record = await this.options.store.get(grantKey(sealed.h, keyType))
    const data = record && parseData(record.data)
    if (!record || !data) return undefined
    const session = toSession(record, data)
    const renewedCookie = await this.slide(record, sealed.h)
    if (renewedCookie) session.expiresAt = this.options.clock.now() + this.options.lifetimeSeconds * 1000
    return { session, renewedCookie }
  }

  /** Records that `clientId` received tokens in this session (so logout can reach it). */
  async addClient(session: BrowserSession, clientId: string): Promise<void> {
    if (session.clients.includes(clientId)) return
    session.clients.push(clientId)
    const data: SessionData = { authTime: session.authTime, amr: session.amr, clients: session.clients }
    if (session.claims) data.claims = session.claims
    await this.options.store.touch(session.key, {
      renewedAt: this.options.clock.now(),
      expiresAt: session.expiresAt,
      data: JSON.stringify(data),
    })
  }

  /** Ends the session the cookie refers to; false when there was none. */
  async signOut(cookie: string | undefined): Promise<boolean> {
    const current = await this.current(cookie)
    return current ? this.options.store.remove(current.session.key) : false
  }

  private async slide(record: UserSession, handle: string): Promise<string | undefined> {
    const { sliding, lifetimeSeconds, clock, store, protector } = this.options
    const now = clock.now()
    if (!sliding || now - record.renewedAt < (lifetimeSeconds * 1000) / 4) return undefined
    const renewed = await store.touch(record.key, { renewedAt: now, expiresAt: now + lifetimeSeconds * 1000 })
    return renewed
      ? protector.protect(cookiePurpose, { h: handle } satisfies SessionCookie, lifetimeSeconds)
      : undefined
  }
}

function toSession(record: UserSession, data: SessionData): BrowserSession {
  return {
    key: record.key,
    subjectId: record.subjectId,
    sessionId: record.sessionId,
    displayName: record.displayName,
    authTime: data.authTime,
    amr: data.amr,
    clients: data.clients,
    claims: data.claims,
    expiresAt: record.expiresAt,
  }
}

function parseData(text: string): SessionData | undefined {
  try {
    const data = JSON.parse(text) as SessionData
    return typeof data.authTime === 'number' && Array.isArray(data.amr) && Array.isArray(data.clients)
      ? data
      : undefined
  } catch {
    return undefined
  }
}

/** The session a stored record holds (sessions found by subject, e.g. by the admin CLI); undefined when unreadable. */
export function browserSessionOf(record: UserSession): BrowserSession | undefined {
  const data = parseData(record.data)
  return data && toSession(record, data)
}

/** The claims a custom `authenticate` stored with a session record (userinfo reads them by `sid`). */
export function externalClaimsOf(data: string): Record<string, unknown> | undefined {
  return parseData(data)?.claims
}
