/**
 * The protocol API an embedder needs to extend the token service: protocol errors, the grant
 * handler contract for extension grants (RFC 6749 §4.5), and where each endpoint is served.
 */
export { type ClientAuthenticationMethod, clientAuthenticationMethods } from './client-authentication.ts'
export { ConfigurationCache } from './configuration-cache.ts'
export { type EndpointName, endpointPaths } from './endpoints.ts'
export { OAuthError, type OAuthErrorCode } from './errors.ts'
export { RequestParameters } from './request-parameters.ts'
export type { Audience } from './resource-validation.ts'
export type { GrantedResources, ScopeValidationOptions } from './scopes.ts'
export {
  type GrantHandler,
  GrantHandlerRegistry,
  type TokenRequestContext,
  type TokenResponse,
  type TokenServices,
} from './token/grant-handlers.ts'
export type {
  AccessTokenIssuer,
  AccessTokenRequest,
  IssuedAccessToken,
} from './tokens/access-token-issuer.ts'
