/**
 * The cookies of Portico's browser pages: HttpOnly, SameSite=Lax (the authorize redirect from
 * a client is a top-level navigation, which Lax lets through), and on an https issuer Secure
 * with the `__Host-` prefix (RFC 6265bis §4.1.3.2), so no sibling subdomain can set or shadow them.
 */
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'

export type PorticoCookie = 'session' | 'antiforgery'

const names: Record<PorticoCookie, string> = {
  session: 'portico.session',
  antiforgery: 'portico.antiforgery',
}

function isSecure(c: Context): boolean {
  return (c.get('issuer') as string).startsWith('https:')
}

export function readCookie(c: Context, cookie: PorticoCookie): string | undefined {
  return isSecure(c) ? getCookie(c, names[cookie], 'host') : getCookie(c, names[cookie])
}

/** Sets a cookie that lasts as long as the browser session. */
export function writeCookie(c: Context, cookie: PorticoCookie, value: string): void {
  if (isSecure(c)) {
    setCookie(c, names[cookie], value, {
      prefix: 'host',
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
    })
  } else {
    setCookie(c, names[cookie], value, { path: '/', httpOnly: true, sameSite: 'Lax' })
  }
}

export function clearCookie(c: Context, cookie: PorticoCookie): void {
  if (isSecure(c)) deleteCookie(c, names[cookie], { prefix: 'host', path: '/', secure: true })
  else deleteCookie(c, names[cookie], { path: '/' })
}
