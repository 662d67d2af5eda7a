/**
 * Anti-forgery for Portico's forms (RFC 9700 §4.7.1, OWASP's signed double-submit cookie): a
 * random value in an HttpOnly cookie binds the browser; each form carries that value sealed by
 * the key ring for the form's purpose. A POST counts only when its sealed token opens and
 * names the cookie it came with, so another browser's token, a forged one, or none is refused.
 * hono's csrf middleware (Origin / Sec-Fetch-Site) runs in front as a second check.
 */
import { timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import type { DataProtector } from '../../core/protocol/session/browser-session.ts'
import { createHandle } from '../../core/stores/handles.ts'
import { readCookie, writeCookie } from './cookies.ts'

interface SealedToken {
  /** The browser's cookie value. */
  b: string
  /** The form it was made for. */
  f: string
}

const purpose = 'anti-forgery'
/** As long as a user may take over one sign-in. */
const tokenLifetimeSeconds = 1800

export class AntiForgery {
  constructor(private readonly protector: DataProtector) {}

  /** A token for `form`, setting the browser's binding cookie when it has none. */
  async issue(c: Context, form: string): Promise<string> {
    let browser = readCookie(c, 'antiforgery')
    if (!browser || browser.length > 64) {
      browser = createHandle(32)
      writeCookie(c, 'antiforgery', browser)
    }
    return this.protector.protect(
      purpose,
      { b: browser, f: form } satisfies SealedToken,
      tokenLifetimeSeconds,
    )
  }

  /** Whether the posted token was issued for `form` to this browser. */
  async verify(c: Context, form: string, token: string | undefined): Promise<boolean> {
    const browser = readCookie(c, 'antiforgery')
    if (!browser || !token || token.length > 4096) return false
    const sealed = await this.protector.unprotect<SealedToken>(purpose, token)
    if (typeof sealed?.b !== 'string' || sealed.f !== form) return false
    const left = Buffer.from(sealed.b)
    const right = Buffer.from(browser)
    return left.length === right.length && timingSafeEqual(left, right)
  }
}
