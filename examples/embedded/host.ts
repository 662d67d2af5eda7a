/**
 * A team's own Hono app with Portico mounted under `/auth`: its pages, API and user table stay
 * its own, Portico signs its users in. Run it with `bun examples/embedded/host.ts` (port 4200).
 */
import { Hono } from 'hono'
import { createPortico, type EmbeddedPortico } from 'portico/server'
import { Accounts } from './accounts.ts'

export interface Host {
  url: string
  portico: EmbeddedPortico
  accounts: Accounts
  stop(): Promise<void>
}

export async function startHost(port = 0): Promise<Host> {
  const host = new Hono()
  // Bound first, so the issuer can name the real port.
  const server = Bun.serve({ hostname: '127.0.0.1', port, fetch: (request, srv) => host.fetch(request, srv) })
  const origin = `http://127.0.0.1:${server.port}`
  const accounts = new Accounts()
  await accounts.add({
    id: 'u-1',
    login: 'ada',
    password: 'ada-password-123',
    fullName: 'Ada Lovelace',
    email: 'ada@example.test',
    suspended: false,
  })
  const portico = await createPortico({
    config: {
      // The issuer's path is where the app mounts Portico.
      issuer: `${origin}/auth`,
      store: { plugin: 'memory' },
      log: { level: 'warn' },
      seed: {
        identityResources: ['openid', 'profile', 'email'],
        clients: [
          {
            clientId: 'shop',
            clientName: 'The Shop',
            clientSecrets: [{ value: 'shop-secret-0123456789abcdef' }],
            allowedGrantTypes: ['authorization_code'],
            redirectUris: [`${origin}/callback`],
            allowedScopes: ['openid', 'profile', 'email'],
          },
        ],
      },
      // The host's table checks the password (behind Portico's login throttle)...
      async authenticate(username, password) {
        const account = await accounts.check(username, password)
        if (!account) return null
        return { subjectId: account.id, displayName: account.fullName, amr: ['pwd'] }
      },
      // ...and answers with the current claims whenever Portico issues tokens or userinfo.
      async profile(subjectId, scopes) {
        const account = accounts.byId(subjectId)
        if (!account || account.suspended) return null
        const claims: Record<string, unknown> = {}
        if (scopes.includes('profile')) claims.name = account.fullName
        if (scopes.includes('email')) Object.assign(claims, { email: account.email, email_verified: true })
        return claims
      },
    },
  })

  // The host's own middleware and routes, around Portico's.
  host.use(async (c, next) => {
    await next()
    // After the handler, so it reaches every response, Portico's prebuilt ones (discovery, JWKS) too.
    c.header('X-Host', 'shop')
  })
  // c.html names its type; hono's c.text leaves it to the runtime, and a header set after the
  // handler then leaves the response without one.
  host.get('/', (c) => c.html('<p>The Shop</p>'))
  host.get('/callback', (c) =>
    c.html(`<p>callback ${c.req.query('code') ? 'with a code' : 'without a code'}</p>`),
  )
  host.route('/auth', portico.app)

  return {
    url: origin,
    portico,
    accounts,
    async stop() {
      server.stop(true)
      await portico.close()
    },
  }
}

if (import.meta.main) {
  const running = await startHost(4200)
  console.log(`The Shop at ${running.url}, Portico at ${running.url}/auth`)
}
