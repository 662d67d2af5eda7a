/** Relying parties that keep users signed in with refresh tokens, added to a running test server. */
import { silentLogger } from '../../../core/logger.ts'
import { parseConfig } from '../../../server/config/load.ts'
import { applySeed } from '../../../server/seed.ts'
import type { SignInServer } from './server.ts'

const base = {
  allowedGrantTypes: ['authorization_code'],
  allowedScopes: ['openid', 'profile', 'email', 'api1'],
  allowOfflineAccess: true,
  accessTokenType: 'reference',
}

export const offline = {
  /** oneTimeOnly, absolute: every refresh rotates; the grant ends an hour after sign-in. */
  rotating: {
    clientId: 'rotating',
    secret: 'rotating-secret-0123456789abc',
    redirectUri: 'https://rotating.example.test/cb',
  },
  /** reUse, sliding 10 minutes within an absolute 30 minutes. */
  reusing: {
    clientId: 'reusing',
    secret: 'reusing-secret-0123456789abcd',
    redirectUri: 'https://reusing.example.test/cb',
  },
  /** oneTimeOnly, sliding 10 minutes within 30 minutes, access token claims renewed on refresh. */
  sliding: {
    clientId: 'sliding',
    secret: 'sliding-secret-0123456789abcd',
    redirectUri: 'https://sliding.example.test/cb',
  },
} as const

export async function addOfflineClients(server: SignInServer): Promise<void> {
  const seed = parseConfig(
    {
      seed: {
        clients: [
          {
            ...base,
            clientId: offline.rotating.clientId,
            clientSecrets: [{ value: offline.rotating.secret }],
            redirectUris: [offline.rotating.redirectUri],
            refreshTokenUsage: 'oneTimeOnly',
            refreshTokenExpiration: 'absolute',
            absoluteRefreshTokenLifetime: 3600,
          },
          {
            ...base,
            clientId: offline.reusing.clientId,
            clientSecrets: [{ value: offline.reusing.secret }],
            redirectUris: [offline.reusing.redirectUri],
            refreshTokenUsage: 'reUse',
            refreshTokenExpiration: 'sliding',
            slidingRefreshTokenLifetime: 600,
            absoluteRefreshTokenLifetime: 1800,
          },
          {
            ...base,
            clientId: offline.sliding.clientId,
            clientSecrets: [{ value: offline.sliding.secret }],
            redirectUris: [offline.sliding.redirectUri],
            refreshTokenUsage: 'oneTimeOnly',
            refreshTokenExpiration: 'sliding',
            slidingRefreshTokenLifetime: 600,
            absoluteRefreshTokenLifetime: 1800,
            updateAccessTokenClaimsOnRefresh: true,
          },
        ],
      },
    },
    { baseDir: process.cwd() },
  ).seed
  await applySeed(seed, server.stores.configuration, { logger: silentLogger })
}
