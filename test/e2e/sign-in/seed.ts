/** The relying parties, users and resources the sign-in tests use. */

export const users = {
  alice: { username: 'alice', password: 'alice-password-1234', subjectId: 'alice-sub' },
  bob: { username: 'bob', password: 'bob-password-1234', subjectId: 'bob-sub' },
  disabled: { username: 'mallory', password: 'mallory-password-1234', subjectId: 'mallory-sub' },
} as const

export const rp = {
  web: { clientId: 'web', secret: 'web-secret-0123456789abcdef', redirectUri: 'http://127.0.0.1:4999/cb' },
  spa: { clientId: 'spa', redirectUri: 'https://spa.example.test/callback' },
  other: {
    clientId: 'other-web',
    secret: 'other-secret-0123456789abcdef',
    redirectUri: 'https://other.example.test/cb',
  },
  auto: {
    clientId: 'auto',
    secret: 'auto-secret-0123456789abcdef',
    redirectUri: 'https://auto.example.test/cb',
  },
  native: { clientId: 'native', redirectUri: 'http://127.0.0.1/native-cb' },
  machine: { clientId: 'machine', secret: 'machine-secret-0123456789abcdef' },
  /** Registers a post-logout URI and a back-channel logout receiver (logout.test.ts). */
  logout: {
    clientId: 'logout',
    secret: 'logout-secret-0123456789abcdef',
    redirectUri: 'https://logout.example.test/cb',
    postLogoutRedirectUri: 'https://logout.example.test/signed-out',
  },
  /** Front-channel logout with `iss` and `sid` (the default, frontChannelLogoutSessionRequired). */
  frontChannel: {
    clientId: 'front-channel',
    redirectUri: 'https://front.example.test/cb',
    postLogoutRedirectUri: 'https://front.example.test/bye',
    frontChannelLogoutUri: 'https://front.example.test/fc?tenant=a',
  },
  /** Front-channel logout without `iss`/`sid` (frontChannelLogoutSessionRequired false). */
  frontChannelPlain: {
    clientId: 'front-channel-plain',
    redirectUri: 'https://plain.example.test/cb',
    frontChannelLogoutUri: 'https://plain.example.test:8443/fc',
  },
} as const

export const api = 'https://api.example.test'

export interface SeedOptions {
  /** The `logout` client's backChannelLogoutUri (a receiver the test runs); none when absent. */
  backChannelLogoutUri?: string | undefined
}

export function signInSeed(issuer: string, options: SeedOptions = {}) {
  return {
    identityResources: ['openid', 'profile', 'email', 'offline_access'],
    apiScopes: [{ name: 'api1', displayName: 'API 1', description: 'Read and write your API 1 data' }],
    apiResources: [{ name: api, scopes: ['api1'] }],
    clients: [
      {
        clientId: rp.web.clientId,
        clientName: 'Web <b>App</b> "quoted"',
        clientUri: 'https://web.example.test',
        clientSecrets: [{ value: rp.web.secret }],
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [rp.web.redirectUri, `${issuer}/rp-callback`],
        allowedScopes: ['openid', 'profile', 'email', 'api1', 'offline_access'],
        requireConsent: true,
      },
      {
        clientId: rp.spa.clientId,
        clientName: 'Single-page app',
        requireClientSecret: false,
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [rp.spa.redirectUri],
        allowedScopes: ['openid', 'profile', 'api1'],
        accessTokenType: 'reference',
        allowedIdentityTokenSigningAlgorithms: ['ES256'],
      },
      {
        clientId: rp.other.clientId,
        clientSecrets: [{ value: rp.other.secret }],
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [rp.other.redirectUri],
        allowedScopes: ['openid', 'profile'],
      },
      {
        clientId: rp.auto.clientId,
        clientSecrets: [{ value: rp.auto.secret }],
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [rp.auto.redirectUri],
        allowedScopes: ['openid', 'profile', 'email'],
        requirePkce: false,
        alwaysIncludeUserClaimsInIdToken: true,
      },
      {
        clientId: rp.native.clientId,
        requireClientSecret: false,
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [rp.native.redirectUri],
        allowedScopes: ['openid'],
      },
      {
        clientId: rp.machine.clientId,
        clientSecrets: [{ value: rp.machine.secret }],
        allowedGrantTypes: ['client_credentials'],
        redirectUris: ['https://machine.example.test/cb'],
        allowedScopes: ['api1'],
      },
      {
        clientId: rp.logout.clientId,
        clientSecrets: [{ value: rp.logout.secret }],
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [rp.logout.redirectUri],
        postLogoutRedirectUris: [rp.logout.postLogoutRedirectUri],
        allowedScopes: ['openid', 'profile'],
        ...(options.backChannelLogoutUri ? { backChannelLogoutUri: options.backChannelLogoutUri } : {}),
      },
      {
        clientId: rp.frontChannel.clientId,
        requireClientSecret: false,
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [rp.frontChannel.redirectUri],
        postLogoutRedirectUris: [rp.frontChannel.postLogoutRedirectUri],
        allowedScopes: ['openid'],
        frontChannelLogoutUri: rp.frontChannel.frontChannelLogoutUri,
      },
      {
        clientId: rp.frontChannelPlain.clientId,
        requireClientSecret: false,
        allowedGrantTypes: ['authorization_code'],
        redirectUris: [rp.frontChannelPlain.redirectUri],
        allowedScopes: ['openid'],
        frontChannelLogoutUri: rp.frontChannelPlain.frontChannelLogoutUri,
        frontChannelLogoutSessionRequired: false,
      },
    ],
    users: [
      {
        subjectId: users.alice.subjectId,
        username: users.alice.username,
        password: users.alice.password,
        claims: {
          name: 'Alice <script>alert(1)</script>',
          email: 'alice@example.test',
          email_verified: true,
        },
      },
      {
        subjectId: users.bob.subjectId,
        username: users.bob.username,
        password: users.bob.password,
        claims: { name: 'Bob', email: 'bob@example.test' },
      },
      {
        subjectId: users.disabled.subjectId,
        username: users.disabled.username,
        password: users.disabled.password,
        enabled: false,
        claims: {},
      },
    ],
  }
}
