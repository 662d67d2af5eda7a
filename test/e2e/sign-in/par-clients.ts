/**
 * Relying parties for the PAR (RFC 9126) and JAR (RFC 9101) tests, with a signing key made in
 * the test: its public half registered as the client's JsonWebKey, its private half signing
 * request objects as the client would.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { discover, exchange, oidc, type RelyingParty, signInThroughPages } from './flow.ts'
import { rp, signInSeed, users } from './seed.ts'
import type { SignInServer } from './server.ts'
import { UserAgent } from './user-agent.ts'

export interface ClientKey {
  kid: string
  privateKey: CryptoKey
  publicJwk: string
}

export async function clientKey(kid: string): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }
  return { kid, privateKey, publicJwk: JSON.stringify(jwk) }
}

export const parRp = {
  /** Confidential, must push (requirePushedAuthorization), also has a key for request objects. */
  pushing: {
    clientId: 'par-web',
    secret: 'par-secret-0123456789abcdef',
    redirectUri: 'https://par.example.test/cb',
  },
  /** Must sign its requests (requireRequestObject). */
  signing: {
    clientId: 'jar-web',
    secret: 'jar-secret-0123456789abcdef',
    redirectUri: 'https://jar.example.test/cb',
  },
  /** A public client that may push (RFC 9126 §2: client_id only). */
  public: {
    clientId: 'par-public',
    redirectUri: 'https://public.example.test/cb',
    origin: 'https://public.example.test',
  },
} as const

/** The sign-in seed plus the PAR and JAR clients; the issuer only names a redirect URI of `web`. */
export function parSeed(keys: { pushing: ClientKey; signing: ClientKey }) {
  const base = signInSeed('http://127.0.0.1:9')
  const jwk = (key: ClientKey) => ({ type: 'JsonWebKey', value: key.publicJwk })
  return {
    ...base,
    clients: [
      ...base.clients,
      {
        clientId: parRp.pushing.clientId,
        clientSecrets: [{ value: parRp.pushing.secret }, jwk(keys.pushing)],
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [parRp.pushing.redirectUri],
        allowedScopes: ['openid', 'profile', 'email'],
        requirePushedAuthorization: true,
      },
      {
        clientId: parRp.signing.clientId,
        clientSecrets: [{ value: parRp.signing.secret }, jwk(keys.signing)],
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [parRp.signing.redirectUri],
        allowedScopes: ['openid', 'profile', 'email'],
        requireRequestObject: true,
      },
      {
        clientId: parRp.public.clientId,
        requireClientSecret: false,
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [parRp.public.redirectUri],
        allowedScopes: ['openid', 'profile'],
        allowedCorsOrigins: [parRp.public.origin],
      },
    ],
  }
}

/** A request object as RFC 9101 §4 describes it, signed with `key` (claims override the defaults). */
export function requestObject(
  server: SignInServer,
  client: { clientId: string },
  key: ClientKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = Math.floor(server.clock.now() / 1000)
  return new SignJWT({
    iss: client.clientId,
    aud: server.issuer,
    client_id: client.clientId,
    iat: now,
    nbf: now,
    exp: now + 60,
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'oauth-authz-req+jwt', ...header })
    .sign(key.privateKey)
}

/** Parameters of a valid code request with PKCE for `client`. */
export async function codeRequest(client: RelyingParty, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const parameters: Record<string, string> = {
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: client.redirectUri,
    scope: 'openid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  }
  return { parameters, verifier, state, nonce }
}

/** Pushes `body` to the PAR endpoint with Basic authentication (or as a public client). */
export function push(server: SignInServer, client: RelyingParty, body: Record<string, string>) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (client.secret) {
    headers.authorization = `Basic ${btoa(`${client.clientId}:${client.secret}`)}`
  }
  return fetch(`${server.issuer}/connect/par`, { method: 'POST', headers, body: new URLSearchParams(body) })
}

/** Signs alice in through `url` and exchanges the code as openid-client does; the ID Token's claims. */
export async function signInAt(
  config: oidc.Configuration,
  client: RelyingParty,
  url: URL,
  expected: { verifier: string; state: string; nonce: string },
) {
  const browser = new UserAgent((at) => at.startsWith(client.redirectUri))
  const back = await signInThroughPages({ browser, url, ...expected }, users.alice)
  if (back.status !== 0)
    throw new Error(`sign-in stopped at ${back.url} (${back.status}): ${back.html.slice(0, 300)}`)
  const tokens = await exchange(config, { browser, url, ...expected }, back.url)
  return tokens.claims()!
}

export { discover, oidc, rp, users }
