/**
 * The browser session behind the request's session cookie. A session that slid forward gets
 * its cookie re-sealed; a cookie that leads nowhere is cleared.
 */
import type { Context } from 'hono'
import type { BrowserSession, BrowserSessions } from '../../core/protocol/session/browser-session.ts'
import { clearCookie, readCookie, writeCookie } from './cookies.ts'

export async function currentSession(
  c: Context,
  sessions: BrowserSessions,
): Promise<BrowserSession | undefined> {
  const cookie = readCookie(c, 'session')
  if (!cookie) return undefined
  const current = await sessions.current(cookie)
  if (!current) {
    clearCookie(c, 'session')
    return undefined
  }
  if (current.renewedCookie) writeCookie(c, 'session', current.renewedCookie)
  return current.session
}
