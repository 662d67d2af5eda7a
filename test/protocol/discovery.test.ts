import { expect, test } from 'bun:test'
import { apiScope, identityResource, standardIdentityResources } from '../../core/models/resources.ts'
import { discoveryDocument } from '../../core/protocol/discovery.ts'

const resources = {
  identityResources: [
    identityResource(standardIdentityResources.profile!),
    identityResource({ ...standardIdentityResources.email!, showInDiscoveryDocument: false }),
  ],
  apiScopes: [apiScope({ name: 'api' }), apiScope({ name: 'off', enabled: false })],
  apiResources: [],
}

test('every URL is built from the issuer, and only given endpoints appear', () => {
  const doc = discoveryDocument({
    issuer: 'https://id.example',
    endpoints: { token: '/connect/token', jwks: '/jwks' },
    grantTypes: ['client_credentials'],
    resources,
    signingAlgorithms: ['RS256', 'ES256'],
  })
  expect(doc.token_endpoint).toBe('https://id.example/connect/token')
  expect(doc.jwks_uri).toBe('https://id.example/jwks')
  expect(doc.authorization_endpoint).toBeUndefined()
  expect(doc.introspection_endpoint).toBeUndefined()
  expect(doc.introspection_endpoint_auth_methods_supported).toBeUndefined()
})

test('scopes: openid plus the enabled ones marked shown; claims of shown identity resources', () => {
  const doc = discoveryDocument({
    issuer: 'https://id.example',
    endpoints: {},
    grantTypes: [],
    resources,
    signingAlgorithms: ['RS256'],
  })
  expect(doc.scopes_supported).toEqual(['openid', 'profile', 'api'])
  expect(doc.claims_supported).toContain('given_name')
  expect(doc.claims_supported).not.toContain('email')
})
