/**
 * A small browser for the sign-in tests: a cookie jar, redirects followed one at a time, and
 * forms read from the page (with Bun's HTMLRewriter) and submitted as a browser submits them,
 * Sec-Fetch-Site and Origin included. It stops at the relying party's redirect URI.
 */

export interface FormField {
  name: string
  value: string
  type: string
  checked: boolean
  disabled: boolean
}

export interface PageForm {
  action: string
  method: string
  fields: FormField[]
  buttons: { name: string; value: string }[]
}

export interface Page {
  url: string
  status: number
  headers: Headers
  html: string
}

export class UserAgent {
  /** Cookies by name (every test server lives on 127.0.0.1). */
  readonly cookies = new Map<string, string>()
  /** Where navigation stops instead of fetching (the relying party's callback). */
  constructor(private readonly stopAt: (url: string) => boolean = () => false) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '))
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const cookie = new Bun.Cookie(line)
      if (cookie.isExpired() || cookie.value === '') this.cookies.delete(cookie.name)
      else this.cookies.set(cookie.name, cookie.value)
    }
    return response
  }

  /** Follows redirects until a page, or until the URL `stopAt` names (returned as the page's url, status 0). */
  async navigate(url: string, init: RequestInit = {}): Promise<Page> {
    let response = await this.request(url, init)
    let current = url
    for (let hops = 0; hops < 10; hops++) {
      const location = response.headers.get('location')
      if (response.status < 300 || response.status >= 400 || !location) break
      current = new URL(location, current).toString()
      if (this.stopAt(current)) return { url: current, status: 0, headers: response.headers, html: '' }
      response = await this.request(current)
    }
    return { url: current, status: response.status, headers: response.headers, html: await response.text() }
  }

  /** Submits the page's first form with these values and the named button, as a browser would. */
  async submit(page: Page, values: Record<string, string | string[]> = {}, button?: string): Promise<Page> {
    const form = (await readForms(page.html))[0]
    if (!form) throw new Error(`no form on ${page.url} (status ${page.status}):\n${page.html.slice(0, 500)}`)
    const body = new URLSearchParams()
    for (const field of form.fields) {
      if (field.disabled || field.name === '' || field.name in values) continue
      if ((field.type === 'checkbox' || field.type === 'radio') && !field.checked) continue
      body.append(field.name, field.value)
    }
    for (const [name, value] of Object.entries(values)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(name, item)
    }
    const pressed = form.buttons.find((b) => b.value === button || b.name === button) ?? form.buttons[0]
    if (pressed?.name) body.append(pressed.name, pressed.value)
    const action = new URL(form.action || page.url, page.url)
    if (this.stopAt(action.toString())) {
      return { url: `${action}#${body}`, status: 0, headers: new Headers(), html: body.toString() }
    }
    return this.navigate(action.toString(), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': new URL(page.url).origin === action.origin ? 'same-origin' : 'cross-site',
        origin: 'null',
      },
      body: body.toString(),
    })
  }
}

export async function readForms(html: string): Promise<PageForm[]> {
  const forms: PageForm[] = []
  const current = () => forms[forms.length - 1]
  const rewriter = new HTMLRewriter()
    .on('form', {
      element(element) {
        forms.push({
          action: decode(element.getAttribute('action') ?? ''),
          method: (element.getAttribute('method') ?? 'get').toLowerCase(),
          fields: [],
          buttons: [],
        })
      },
    })
    .on('input', {
      element(element) {
        current()?.fields.push({
          name: decode(element.getAttribute('name') ?? ''),
          value: decode(element.getAttribute('value') ?? ''),
          type: (element.getAttribute('type') ?? 'text').toLowerCase(),
          checked: element.hasAttribute('checked'),
          disabled: element.hasAttribute('disabled'),
        })
      },
    })
    .on('button', {
      element(element) {
        current()?.buttons.push({
          name: element.getAttribute('name') ?? '',
          value: element.getAttribute('value') ?? '',
        })
      },
    })
  await rewriter.transform(new Response(html)).text()
  return forms
}

/** HTMLRewriter hands attribute values over as written; undo the escaping hono/jsx applies. */
function decode(value: string): string {
  return value.replace(
    /&(amp|lt|gt|quot|#39|#x27);/g,
    (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[entity] ?? _,
  )
}
