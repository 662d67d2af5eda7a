/**
 * What the consent page shows for a request (authorize or device flow): the client as the
 * user knows it and each requested scope as a choice, required ones fixed.
 */
import type { Client } from '../../core/models/client.ts'
import type { ApiScope, IdentityResource } from '../../core/models/resources.ts'
import { requiredScopeNames } from '../../core/protocol/authorize/consent.ts'
import type { Audience } from '../../core/protocol/resource-validation.ts'
import type { ConsentPageProps, ScopeChoice } from '../../ui/pages/consent.tsx'

export function consentView(
  client: Client,
  requested: Audience,
): Pick<ConsentPageProps, 'client' | 'identityScopes' | 'apiScopes'> {
  const required = requiredScopeNames(requested)
  const choice = (scope: IdentityResource | ApiScope): ScopeChoice => ({
    name: scope.name,
    displayName: scope.displayName ?? scope.name,
    ...(scope.description ? { description: scope.description } : {}),
    required: required.has(scope.name),
    emphasize: scope.emphasize,
    checked: true,
  })
  return {
    client: {
      name: client.clientName ?? client.clientId,
      ...(client.clientUri ? { uri: client.clientUri } : {}),
      ...(client.logoUri ? { logoUri: client.logoUri } : {}),
    },
    identityScopes: requested.identityResources.map(choice),
    apiScopes: requested.apiScopes.map(choice),
  }
}
