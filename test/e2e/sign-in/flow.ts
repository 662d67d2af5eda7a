/**
 * A whole sign-in as a relying party drives it with openid-client (a library nobody here
 * wrote): discovery, the authorization URL with PKCE, state and nonce, the login and consent
 * forms in a UserAgent, the callback, the code exchange with ID Token validation, userinfo.
 */
import * as oidc from 'openid-client'
import { type Page, UserAgent } from './user-agent.ts'

export interface RelyingParty {
  clientId: string
  secret?: string
  redirectUri: string
}

export async function discover(issuer: string, rp: RelyingParty): Promise<oidc.Configuration> {
  const auth = rp.secret ? oidc.ClientSecretBasic(rp.secret) : oidc.None()
  return oidc.discovery(new URL(issuer), rp.clientId, undefined, auth, {
    execute: [oidc.allowInsecureRequests],
  })
}

export interface Started {
  browser: UserAgent
  url: URL
  verifier: string
  state: string
  nonce: string
}

/** The authorization URL a relying party sends the browser to (PKCE S256, state, nonce). */
export async function startSignIn(
  config: oidc.Configuration,
  rp: RelyingParty,
  parameters: Record<string, string> = {},
  browser = new UserAgent((url) => url.startsWith(rp.redirectUri)),
): Promise<Started> {
  const verifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: rp.redirectUri,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...parameters,
  })
  return { browser, url, verifier, state, nonce }
}

/** Logs in on the login page and, when asked, allows on the consent page; ends at the callback. */
export async function signInThroughPages(
  started: Started,
  credentials: { username: string; password: string },
  consent: Record<string, string | string[]> = {},
): Promise<Page> {
  let page = await started.browser.navigate(started.url.toString())
  if (page.status !== 0 && page.html.includes('name="password"')) {
    page = await started.browser.submit(page, {
      username: credentials.username,
      password: credentials.password,
    })
  }
  if (page.status !== 0 && page.html.includes('name="decision"')) {
    page = await started.browser.submit(page, consent, 'allow')
  }
  return page
}

/** The code exchange as openid-client does it, validating the ID Token (signature, iss, aud, nonce, at_hash). */
export function exchange(config: oidc.Configuration, started: Started, callbackUrl: string) {
  return oidc.authorizationCodeGrant(config, new URL(callbackUrl), {
    pkceCodeVerifier: started.verifier,
    expectedState: started.state,
    expectedNonce: started.nonce,
    idTokenExpected: true,
  })
}

export { oidc }
