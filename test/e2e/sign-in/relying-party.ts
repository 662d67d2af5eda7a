/**
 * A real relying party on its own port, as a team would write one with openid-client (a
 * library nobody here wrote): `/` links to `/login`, which starts an authorization request
 * (PKCE S256, state, nonce; `?response_mode=form_post` asks for that mode) bound to the browser
 * by a cookie; `/cb` (GET, or POST for form_post) exchanges the code, validates the ID Token,
 * calls userinfo and greets the user by name. Every completed sign-in is kept for assertions.
 */
import * as oidc from 'openid-client'

export interface CompletedSignIn {
  /** The ID Token's claims, verified by openid-client (signature, iss, aud, exp, nonce, at_hash). */
  claims: oidc.IDToken
  userinfo: oidc.UserInfoResponse
  /** `query` or `form_post`: how the authorization response arrived. */
  via: 'query' | 'form_post'
}

export interface RelyingPartyServer {
  origin: string
  /** `${origin}/cb`: register it for the client. */
  redirectUri: string
  signIns: CompletedSignIn[]
  /** Callback failures (the message the page showed), for a clear test failure. */
  failures: string[]
  /** Discovers the issuer; call once Portico runs. */
  connect(issuer: string): Promise<void>
  close(): void
}

interface Pending {
  verifier: string
  nonce: string
}

const stateCookie = 'rp_state'

export function startRelyingParty(client: { clientId: string; secret: string }): RelyingPartyServer {
  let config: oidc.Configuration | undefined
  const pending = new Map<string, Pending>()
  const signIns: CompletedSignIn[] = []
  const failures: string[] = []

  async function login(url: URL): Promise<Response> {
    if (!config) return page('Not connected', '<p>The identity server is not known yet.</p>', 503)
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const nonce = oidc.randomNonce()
    pending.set(state, { verifier, nonce })
    const mode = url.searchParams.get('response_mode')
    const authorization = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${url.origin}/cb`,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(mode ? { response_mode: mode } : {}),
    })
    const cookie = new Bun.Cookie(stateCookie, state, { path: '/', httpOnly: true, sameSite: 'lax' })
    return new Response(null, {
      status: 302,
      headers: { location: authorization.toString(), 'set-cookie': cookie.serialize() },
    })
  }

  async function callback(request: Request): Promise<Response> {
    const state = new Bun.CookieMap(request.headers.get('cookie') ?? '').get(stateCookie)
    const started = state ? pending.get(state) : undefined
    if (!config || !state || !started) return fail('no sign-in was started in this browser')
    pending.delete(state)
    try {
      const tokens = await oidc.authorizationCodeGrant(config, request, {
        pkceCodeVerifier: started.verifier,
        expectedState: state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      })
      const claims = tokens.claims()!
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)
      signIns.push({ claims, userinfo, via: request.method === 'POST' ? 'form_post' : 'query' })
      return page(
        'Signed in',
        `<h1 id="greeting">Hello, ${Bun.escapeHTML(String(userinfo.name ?? claims.sub))}</h1>` +
          `<p>Signed in as <code id="sub">${Bun.escapeHTML(claims.sub)}</code></p>`,
      )
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause
      return fail(`${(error as Error).message}${cause ? `: ${JSON.stringify(cause)}` : ''}`)
    }
  }

  function fail(message: string): Response {
    failures.push(message)
    return page('Sign-in failed', `<p id="failure">${Bun.escapeHTML(message)}</p>`, 400)
  }

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url)
      if (url.pathname === '/') {
        return page(
          'Relying party',
          '<p><a id="sign-in" href="/login">Sign in</a></p>' +
            '<p><a id="sign-in-form-post" href="/login?response_mode=form_post">Sign in (form_post)</a></p>',
        )
      }
      if (url.pathname === '/login' && request.method === 'GET') return login(url)
      if (url.pathname === '/cb') return callback(request)
      return new Response('not found', { status: 404 })
    },
  })
  const origin = `http://127.0.0.1:${server.port}`
  return {
    origin,
    redirectUri: `${origin}/cb`,
    signIns,
    failures,
    async connect(issuer) {
      config = await oidc.discovery(
        new URL(issuer),
        client.clientId,
        undefined,
        oidc.ClientSecretBasic(client.secret),
        { execute: [oidc.allowInsecureRequests] },
      )
    },
    close: () => server.stop(true),
  }
}

function page(title: string, body: string, status = 200): Response {
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`,
    { status, headers: { 'content-type': 'text/html; charset=utf-8' } },
  )
}
