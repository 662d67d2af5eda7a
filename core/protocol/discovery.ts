/**
 * The discovery document (OpenID Connect Discovery 1.0 §3 and RFC 8414 §2), built from the
 * issuer so every URL carries the public origin.
 */
import type { Resources } from '../models/resources.ts'
import { clientAssertionAlgorithms, clientAuthenticationMethods } from './client-authentication.ts'
import { type EndpointName, endpointMetadata } from './endpoints.ts'

export interface DiscoveryInput {
  issuer: string
  /** Paths of the endpoints this server serves, by name. */
  endpoints: Partial<Record<EndpointName, string>>
  /** The grant types with a registered handler. */
  grantTypes: readonly string[]
  resources: Resources
  /** Algorithms the key ring signs with. */
  signingAlgorithms: readonly string[]
  responseTypes?: readonly string[]
  responseModes?: readonly string[]
}

// OIDC Core §2 and §5.1 claims every deployment can emit.
const protocolClaims = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'amr', 'sid']

export function discoveryDocument(input: DiscoveryInput): Record<string, unknown> {
  const { issuer, resources } = input
  const document: Record<string, unknown> = { issuer }
  for (const [name, path] of Object.entries(input.endpoints) as [EndpointName, string][]) {
    document[endpointMetadata[name]] = `${issuer}${path}`
  }

  const shownIdentity = resources.identityResources.filter((r) => r.enabled && r.showInDiscoveryDocument)
  const shownApi = resources.apiScopes.filter((s) => s.enabled && s.showInDiscoveryDocument)
  const scopes = new Set(['openid', ...shownIdentity.map((r) => r.name), ...shownApi.map((s) => s.name)])
  const claims = new Set([...protocolClaims, ...shownIdentity.flatMap((r) => r.userClaims)])
  const authMethods = [...clientAuthenticationMethods]
  const confidentialMethods = authMethods.filter((m) => m !== 'none')
  const signingAlgorithms = [...new Set(input.signingAlgorithms)]

  Object.assign(document, {
    scopes_supported: [...scopes],
    claims_supported: [...claims],
    grant_types_supported: [...input.grantTypes],
    response_types_supported: [...(input.responseTypes ?? ['code'])],
    response_modes_supported: [...(input.responseModes ?? ['query', 'form_post'])],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: signingAlgorithms,
    token_endpoint_auth_methods_supported: authMethods,
    // RFC 8414 §2: required when private_key_jwt is listed.
    token_endpoint_auth_signing_alg_values_supported: clientAssertionAlgorithms,
    code_challenge_methods_supported: ['S256'],
    // RFC 9207 §3: `iss` in every authorization response.
    authorization_response_iss_parameter_supported: true,
  })
  if (input.endpoints.introspection) {
    document.introspection_endpoint_auth_methods_supported = confidentialMethods
    document.introspection_endpoint_auth_signing_alg_values_supported = clientAssertionAlgorithms
  }
  if (input.endpoints.revocation) {
    document.revocation_endpoint_auth_methods_supported = authMethods
    document.revocation_endpoint_auth_signing_alg_values_supported = clientAssertionAlgorithms
  }
  return document
}
