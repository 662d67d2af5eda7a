/**
 * What the consent page shows for a request (authorize or device flow): the client as the
 * user knows it and each requested scope as a choice, required ones fixed.
 */
import type { Client } from '../../core/models/client.ts'
import {
  type ApiScope,
  type IdentityResource,
  standardIdentityResources,
} from '../../core/models/resources.ts'
import { requiredScopeNames } from '../../core/protocol/authorize/consent.ts'
import type { Audience } from '../../core/protocol/resource-validation.ts'
import { isMessageKey, type Translate } from '../../ui/messages/index.ts'
import type { ConsentViewProps, ScopeChoice } from '../../ui/pages/consent.tsx'

/**
 * A standard identity resource (OIDC Core §5.4) still carrying Portico's English text is shown
 * in the page's language (`scope.<name>` messages); a team's own texts are shown as they are.
 */
function translated(
  t: Translate,
  name: string,
  field: 'displayName' | 'description',
  value: string | undefined,
) {
  const standard = standardIdentityResources[name]?.[field]
  const key = field === 'displayName' ? `scope.${name}` : `scope.${name}.description`
  return value !== undefined && value === standard && isMessageKey(key) ? t(key) : value
}

export function consentView(
  client: Client,
  requested: Audience,
  t: Translate,
): Pick<ConsentViewProps, 'client' | 'identityScopes' | 'apiScopes'> {
  const required = requiredScopeNames(requested)
  const choice = (scope: IdentityResource | ApiScope, identity: boolean): ScopeChoice => {
    const displayName = scope.displayName ?? scope.name
    const description = scope.description
    return {
      name: scope.name,
      displayName: identity ? translated(t, scope.name, 'displayName', displayName)! : displayName,
      ...(description
        ? { description: identity ? translated(t, scope.name, 'description', description)! : description }
        : {}),
      required: required.has(scope.name),
      emphasize: scope.emphasize,
      checked: true,
    }
  }
  return {
    client: {
      name: client.clientName ?? client.clientId,
      ...(client.clientUri ? { uri: client.clientUri } : {}),
      ...(client.logoUri ? { logoUri: client.logoUri } : {}),
    },
    identityScopes: requested.identityResources.map((scope) => choice(scope, true)),
    apiScopes: requested.apiScopes.map((scope) => choice(scope, false)),
  }
}
