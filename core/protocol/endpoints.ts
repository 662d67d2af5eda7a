/**
 * Where each protocol endpoint is served (IdentityServer's paths). Discovery lists only those
 * the app actually mounts; clients find them there and never guess.
 */
export const endpointPaths = {
  authorization: '/connect/authorize',
  pushedAuthorization: '/connect/par',
  token: '/connect/token',
  userinfo: '/connect/userinfo',
  endSession: '/connect/endsession',
  introspection: '/connect/introspect',
  revocation: '/connect/revocation',
  deviceAuthorization: '/connect/deviceauthorization',
  jwks: '/.well-known/openid-configuration/jwks',
} as const

export type EndpointName = keyof typeof endpointPaths

/** Discovery metadata names (OIDC Discovery §3, RFC 8414 §2, RFC 8628 §4, RFC 9126 §5). */
export const endpointMetadata: Record<EndpointName, string> = {
  authorization: 'authorization_endpoint',
  pushedAuthorization: 'pushed_authorization_request_endpoint',
  token: 'token_endpoint',
  userinfo: 'userinfo_endpoint',
  endSession: 'end_session_endpoint',
  introspection: 'introspection_endpoint',
  revocation: 'revocation_endpoint',
  deviceAuthorization: 'device_authorization_endpoint',
  jwks: 'jwks_uri',
}
