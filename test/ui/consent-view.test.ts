/**
 * What the consent page lists: standard identity resources (OIDC Core §5.4) that still carry
 * Portico's English texts appear in the page's language; a team's own texts stay as written.
 */
import { expect, test } from 'bun:test'
import { client } from '../../core/models/client.ts'
import { apiScope, identityResource, standardIdentityResources } from '../../core/models/resources.ts'
import { consentView } from '../../server/browser/consent-view.ts'
import { createPageUi } from '../../ui/page-ui.ts'

const german = createPageUi().context({ nonce: 'n', uiLocales: 'de' }).t
const requested = {
  scopes: ['openid', 'profile', 'email', 'api1'],
  identityResources: [
    identityResource(standardIdentityResources.openid!),
    identityResource(standardIdentityResources.profile!),
    identityResource({ name: 'email', displayName: 'Your work email', userClaims: ['email'] }),
  ],
  apiScopes: [apiScope({ name: 'api1', displayName: 'Orders API', description: 'Read your orders' })],
  apiResources: [],
  audiences: [],
}

test('standard scopes in German, the team’s texts untouched, required ones fixed', () => {
  const view = consentView(client({ clientId: 'shop', clientName: 'Shop' }), requested, german)
  expect(view.client).toEqual({ name: 'Shop' })
  expect(
    view.identityScopes.map(({ name, displayName, description, required }) => ({
      name,
      displayName,
      description,
      required,
    })),
  ).toEqual([
    { name: 'openid', displayName: 'Ihre Benutzerkennung', description: undefined, required: true },
    {
      name: 'profile',
      displayName: 'Benutzerprofil',
      description: 'Ihre Profilangaben (Vorname, Nachname usw.)',
      required: false,
    },
    { name: 'email', displayName: 'Your work email', description: undefined, required: false },
  ])
  expect(view.apiScopes.map(({ displayName, description }) => ({ displayName, description }))).toEqual([
    { displayName: 'Orders API', description: 'Read your orders' },
  ])
})
