/**
 * Resources, following IdentityServer's model: identity resources group user claims
 * (`openid`, `profile` …), API scopes are what clients ask for, API resources are the
 * audiences that access tokens are issued to.
 */
import type { Secret } from './secret.ts'

interface ResourceBase {
  name: string
  displayName?: string
  description?: string
  enabled: boolean
  showInDiscoveryDocument: boolean
  /** Claim types included in tokens when this resource is granted. */
  userClaims: string[]
  properties: Record<string, string>
}

export interface IdentityResource extends ResourceBase {
  required: boolean
  emphasize: boolean
}

export interface ApiScope extends ResourceBase {
  required: boolean
  emphasize: boolean
}

export interface ApiResource extends ResourceBase {
  /** Names of the API scopes this resource accepts. */
  scopes: string[]
  /** Credentials the API uses at the introspection endpoint. */
  apiSecrets: Secret[]
  /** Empty means the deployment's default access-token algorithm. */
  allowedAccessTokenSigningAlgorithms: string[]
  /** RFC 8707: only issue tokens for this resource when it is named in `resource`. */
  requireResourceIndicator: boolean
}

export interface Resources {
  identityResources: IdentityResource[]
  apiScopes: ApiScope[]
  apiResources: ApiResource[]
}

type Defaults<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>

export type IdentityResourceInput = Defaults<
  IdentityResource,
  'enabled' | 'showInDiscoveryDocument' | 'userClaims' | 'properties' | 'required' | 'emphasize'
>
export type ApiScopeInput = Defaults<
  ApiScope,
  'enabled' | 'showInDiscoveryDocument' | 'userClaims' | 'properties' | 'required' | 'emphasize'
>
export type ApiResourceInput = Defaults<
  ApiResource,
  | 'enabled'
  | 'showInDiscoveryDocument'
  | 'userClaims'
  | 'properties'
  | 'scopes'
  | 'apiSecrets'
  | 'allowedAccessTokenSigningAlgorithms'
  | 'requireResourceIndicator'
>

export function identityResource(input: IdentityResourceInput): IdentityResource {
  return {
    enabled: true,
    showInDiscoveryDocument: true,
    userClaims: [],
    properties: {},
    required: false,
    emphasize: false,
    ...input,
  }
}

export function apiScope(input: ApiScopeInput): ApiScope {
  return {
    enabled: true,
    showInDiscoveryDocument: true,
    userClaims: [],
    properties: {},
    required: false,
    emphasize: false,
    ...input,
  }
}

export function apiResource(input: ApiResourceInput): ApiResource {
  return {
    enabled: true,
    showInDiscoveryDocument: true,
    userClaims: [],
    properties: {},
    scopes: [],
    apiSecrets: [],
    allowedAccessTokenSigningAlgorithms: [],
    requireResourceIndicator: false,
    ...input,
  }
}

/** OpenID Connect Core §5.4: the standard scopes and the claims each one grants. */
export const standardIdentityResources: Record<string, IdentityResourceInput> = {
  openid: { name: 'openid', displayName: 'Your user identifier', required: true, userClaims: ['sub'] },
  profile: {
    name: 'profile',
    displayName: 'User profile',
    description: 'Your user profile information (first name, last name, etc.)',
    emphasize: true,
    userClaims: [
      'name',
      'family_name',
      'given_name',
      'middle_name',
      'nickname',
      'preferred_username',
      'profile',
      'picture',
      'website',
      'gender',
      'birthdate',
      'zoneinfo',
      'locale',
      'updated_at',
    ],
  },
  email: {
    name: 'email',
    displayName: 'Your email address',
    emphasize: true,
    userClaims: ['email', 'email_verified'],
  },
  address: { name: 'address', displayName: 'Your postal address', emphasize: true, userClaims: ['address'] },
  phone: {
    name: 'phone',
    displayName: 'Your phone number',
    emphasize: true,
    userClaims: ['phone_number', 'phone_number_verified'],
  },
  offline_access: {
    name: 'offline_access',
    displayName: 'Offline access',
    description: 'Access to your applications and resources, even when you are offline',
    emphasize: true,
  },
}
