/**
 * RFC 6749 §4.4 client credentials grant: a confidential client gets an access token for
 * itself. No refresh token (§4.4.3) and no id_token, since no user is involved.
 */
import { OAuthError } from '../errors.ts'
import { selectAudience } from '../resource-validation.ts'
import { parseScope } from '../scopes.ts'
import type { GrantHandler } from './grant-handlers.ts'

export const clientCredentialsGrant: GrantHandler = {
  grantType: 'client_credentials',
  async handle({ client, authenticationMethod, params, issuer, services, dpop }) {
    // §4.4: "MUST only be used by confidential clients".
    if (authenticationMethod === 'none') {
      throw new OAuthError('unauthorized_client', 'client_credentials requires a confidential client')
    }
    const scope = params.get('scope')
    const resources = params.getAll('resource')
    // Scopes and audience depend only on the (cached) client and configuration: worked out once.
    const audience = await services.resources.perClient(
      client,
      `client_credentials\n${issuer}\n${scope ?? ''}\n${resources.join(' ')}`,
      async () => {
        const granted = await services.resources.validateScopes(client, parseScope(scope), {
          identityScopes: false,
        })
        return selectAudience(granted, resources, issuer)
      },
    )
    const token = await services.accessTokens.issue({ issuer, client, granted: audience, confirmation: dpop })
    return {
      access_token: token.accessToken,
      token_type: token.tokenType,
      expires_in: token.expiresIn,
      scope: token.scope,
    }
  },
}
