/** Input-constrained relying parties (RFC 8628), added to a running test server. */
import { silentLogger } from '../../../core/logger.ts'
import { parseConfig } from '../../../server/config/load.ts'
import { applySeed } from '../../../server/seed.ts'
import type { SignInServer } from './server.ts'

export const devices = {
  /** A public client (a TV app) that may keep the user signed in. */
  tv: { clientId: 'tv', clientName: 'Living-room TV' },
  /** A confidential command-line tool. */
  cli: { clientId: 'cli', secret: 'cli-secret-0123456789abcdef' },
} as const

export async function addDeviceClients(server: SignInServer): Promise<void> {
  const seed = parseConfig(
    {
      seed: {
        clients: [
          {
            clientId: devices.tv.clientId,
            clientName: devices.tv.clientName,
            requireClientSecret: false,
            allowedGrantTypes: ['urn:ietf:params:oauth:grant-type:device_code'],
            allowedScopes: ['openid', 'profile', 'api1'],
            allowOfflineAccess: true,
          },
          {
            clientId: devices.cli.clientId,
            clientSecrets: [{ value: devices.cli.secret }],
            allowedGrantTypes: ['urn:ietf:params:oauth:grant-type:device_code'],
            allowedScopes: ['openid', 'api1'],
            accessTokenType: 'reference',
          },
        ],
      },
    },
    { baseDir: process.cwd() },
  ).seed
  await applySeed(seed, server.stores.configuration, { logger: silentLogger })
}
