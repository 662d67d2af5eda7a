/**
 * RFC 7009 token revocation of reference access tokens and refresh tokens. Only the client a
 * token was issued to may revoke it; an unknown (or self-contained JWT) token, and another
 * client's token, are answered 200 (§2.2) and nothing happens. A store failure propagates as
 * 503, never as a false success.
 */
import { grantKey } from '../stores/handles.ts'
import type { PersistedGrantStore } from '../stores/operational.ts'
import {
  assertionAudiences,
  type ClientAuthenticator,
  type CredentialSource,
} from './client-authentication.ts'
import { looksLikeJwt } from './tokens/access-token-verifier.ts'
import { refreshTokenType, revokeFamily } from './tokens/grant-family.ts'
import { referenceTokenType } from './tokens/reference-token.ts'

export { refreshTokenType }

export interface RevocationRequest extends CredentialSource {
  issuer: string
  endpointUrl: string
}

export class RevocationEndpoint {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly grants: PersistedGrantStore,
  ) {}

  async handle(request: RevocationRequest): Promise<void> {
    const { client } = await this.authenticator.authenticate(
      request,
      assertionAudiences(request.issuer, request.endpointUrl),
    )
    const token = request.params.require('token')
    const hint = request.params.get('token_type_hint')
    // A JWT access token cannot be recalled; it simply expires.
    if (looksLikeJwt(token)) return

    // §2.1: search the hinted type first, then the others; an unknown hint is ignored.
    const types =
      hint === refreshTokenType
        ? [refreshTokenType, referenceTokenType]
        : [referenceTokenType, refreshTokenType]
    for (const type of types) {
      const key = grantKey(token, type)
      const grant = await this.grants.get(key)
      if (!grant || grant.type !== type) continue
      // Another client's token: an error would tell the caller the token is live, so it gets
      // the answer an unknown token gets and nothing is revoked (as IdentityServer does).
      if (grant.clientId !== client.clientId) return
      // The access tokens go first: if the store fails between the two, the refresh token is
      // still there for the client's retry (after its 503) to find and finish the job.
      if (type === refreshTokenType) await revokeFamily(this.grants, grant, { refreshTokens: false })
      await this.grants.remove(key)
      return
    }
  }
}
