/**
 * The discovery document (OpenID Connect Discovery 1.0 §3 and RFC 8414 §2), built from the
 * issuer so every URL carries the public origin.
 */
import type { Resources } from '../models/resources.ts'
import { promptValues, responseModes } from './authorize/authorize-request.ts'
import { requestObjectAlgorithms } from './authorize/request-object.ts'
import { clientAssertionAlgorithms, clientAuthenticationMethods } from './client-authentication.ts'
import { dpopSigningAlgorithms } from './dpop/algorithms.ts'
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
  /** `par.required`: every client must use the PAR endpoint (RFC 9126 §5). */
  requirePushedAuthorization?: boolean | undefined
  /** Languages the login and consent pages are offered in (BCP 47 tags). */
  uiLocales?: readonly string[] | undefined
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
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: signingAlgorithms,
    token_endpoint_auth_methods_supported: authMethods,
    // RFC 8414 §2: required when private_key_jwt is listed.
    token_endpoint_auth_signing_alg_values_supported: clientAssertionAlgorithms,
  })
  // OIDC Discovery §3 requires response_types_supported; only code is offered (no implicit or hybrid).
  document.response_types_supported = ['code']
  if (input.endpoints.authorization) {
    Object.assign(document, {
      response_modes_supported: [...responseModes],
      // RFC 9700 §2.1.1: S256 only; `plain` is a per-client opt-in, not advertised.
      code_challenge_methods_supported: ['S256'],
      prompt_values_supported: [...promptValues],
      claims_parameter_supported: true,
      // RFC 9101: signed request objects by value, verified with the client's registered keys.
      request_parameter_supported: true,
      request_object_signing_alg_values_supported: [...requestObjectAlgorithms],
      // OIDC Discovery §3 means request_uri pointing to the client's own URL, which is never
      // fetched; it defaults to true, so say false. A request_uri from the PAR endpoint works
      // regardless of this value (RFC 9126 §5).
      request_uri_parameter_supported: false,
      // RFC 9207 §3: `iss` in every authorization response.
      authorization_response_iss_parameter_supported: true,
    })
    // OIDC Discovery §3: the languages `ui_locales` can pick (the pages' message catalogues).
    if (input.uiLocales?.length) document.ui_locales_supported = [...input.uiLocales]
  }
  if (input.endpoints.pushedAuthorization) {
    document.require_pushed_authorization_requests = input.requirePushedAuthorization === true
  }
  if (input.endpoints.endSession) {
    // Front-Channel Logout 1.0 §3 and Back-Channel Logout 1.0 §2.1: both channels, with `iss`/`sid`.
    Object.assign(document, {
      frontchannel_logout_supported: true,
      frontchannel_logout_session_supported: true,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    })
  }
  if (input.endpoints.token) {
    // RFC 9449 §5.1: DPoP proofs are accepted at the token endpoint (and userinfo) with these.
    document.dpop_signing_alg_values_supported = [...dpopSigningAlgorithms]
  }
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
