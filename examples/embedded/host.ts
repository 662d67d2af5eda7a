/**
 * A team's own Hono app with Portico mounted under `/auth`: its pages and API stay its own,
 * Portico signs its users in. Run it with `bun examples/embedded/host.ts` (port 4200).
 */
import { Hono } from 'hono'
import { createPortico, type EmbeddedPortico } from 'portico/server'

export interface Host {
  url: string
  portico: EmbeddedPortico
  stop(): Promise<void>
}

export async function startHost(port = 0): Promise<Host> {
  const host = new Hono()
  // Bound first, so the issuer can name the real port.
  const server = Bun.serve({ hostname: '127.0.0.1', port, fetch: (request, srv) => host.fetch(request, srv) })
  const origin = `http://127.0.0.1:${server.port}`
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
        users: [
          {
            subjectId: 'u-1',
            username: 'ada',
            password: 'ada-password-123',
            claims: { name: 'Ada Lovelace', email: 'ada@example.test' },
          },
        ],
      },
    },
  })

  // The host's own middleware and routes, around Portico's.
  host.use(async (c, next) => {
    await next()
    c.header('X-Host', 'shop')
  })
  host.get('/', (c) => c.text('The Shop'))
  host.get('/callback', (c) => c.text(`callback ${c.req.query('code') ? 'with a code' : 'without a code'}`))
  host.route('/auth', portico.app)

  return {
    url: origin,
    portico,
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
