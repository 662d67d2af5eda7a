/**
 * `id_token_hint` (OIDC Core §3.1.2.1): an ID Token this server issued to the client, naming
 * the user the client expects. An expired one is still a valid hint, so only its signature,
 * issuer and audience are checked.
 */
import type { KeyRing } from '../../keys/key-ring.ts'
import type { IdTokenHintVerifier } from '../authorize/authorize-endpoint.ts'

export function idTokenHintVerifier(keys: Pick<KeyRing, 'verify'>): IdTokenHintVerifier {
  return {
    async subjectOf(idTokenHint, issuer, clientId) {
      try {
        // The epoch as "now": jose then accepts any exp, which is what a hint needs; nbf is not used in ID Tokens.
        const { payload } = await keys.verify(idTokenHint, {
          issuer,
          audience: clientId,
          currentDate: new Date(0),
        })
        return typeof payload.sub === 'string' ? payload.sub : undefined
      } catch {
        return undefined
      }
    },
  }
}
