/** The pure rules of the authorize flow: redirect URI matching, return URLs, PKCE, the claims parameter. */
import { describe, expect, test } from 'bun:test'
import { hash } from 'node:crypto'
import { client } from '../../../core/models/client.ts'
import { parseClaimsRequest } from '../../../core/protocol/authorize/claims-request.ts'
import { checkCodeVerifier, readCodeChallenge } from '../../../core/protocol/authorize/pkce.ts'
import { isRegisteredRedirectUri } from '../../../core/protocol/authorize/redirect-uri.ts'
import { readReturnUrl, returnUrlFor } from '../../../core/protocol/authorize/return-url.ts'

describe('isRegisteredRedirectUri', () => {
  const registered = [
    'https://app.example/cb',
    'http://127.0.0.1/native',
    'http://[::1]/v6',
    'http://127.0.0.1:8080/fixed',
  ]
  test('exact strings only', () => {
    expect(isRegisteredRedirectUri(registered, 'https://app.example/cb')).toBe(true)
    for (const uri of [
      'https://app.example/cb/',
      'https://APP.example/cb',
      'https://app.example/cb?x',
      'https://app.example:443/cb',
    ]) {
      expect(isRegisteredRedirectUri(registered, uri)).toBe(false)
    }
  })
  test('a loopback URI registered without a port matches any port, nothing else', () => {
    expect(isRegisteredRedirectUri(registered, 'http://127.0.0.1:51000/native')).toBe(true)
    expect(isRegisteredRedirectUri(registered, 'http://[::1]:51000/v6')).toBe(true)
    expect(isRegisteredRedirectUri(registered, 'http://127.0.0.1:51000/native/x')).toBe(false)
    expect(isRegisteredRedirectUri(registered, 'http://localhost:51000/native')).toBe(false)
    expect(isRegisteredRedirectUri(registered, 'https://127.0.0.1:51000/native')).toBe(false)
    expect(isRegisteredRedirectUri(registered, 'http://127.0.0.1:9090/fixed')).toBe(false)
  })
})

describe('return URLs', () => {
  test('round trip under a base path', () => {
    const url = returnUrlFor('/id', 'abc.def-ghi_')
    expect(url).toBe('/id/connect/authorize/callback?r=abc.def-ghi_')
    expect(readReturnUrl(url, '/id')).toBe('abc.def-ghi_')
    expect(readReturnUrl(url, '')).toBeUndefined()
  })
  test('anything a browser could read as elsewhere is refused', () => {
    for (const value of [
      '//evil/connect/authorize/callback?r=x',
      '/\\evil/connect/authorize/callback?r=x',
      '/connect/authorize/callback?r=x#y',
      '/connect/authorize/callback?r=x&r=y',
      '/connect/authorize/./callback?r=x',
      '/connect/authorize/callback?r=x\n',
      'https://evil/connect/authorize/callback?r=x',
      '/connect/authorize/callback',
    ]) {
      expect(readReturnUrl(value, '')).toBeUndefined()
    }
  })
})

describe('PKCE', () => {
  const verifier = 'dBjftJeZ4CVP-mJ92K1uthJ6-2UNXCMkcHkdd1JBUNPfJRQ'
  const challenge = hash('sha256', verifier, 'base64url')
  const pkceClient = client({ clientId: 'c' })
  test('S256 round trip; a wrong, missing or malformed verifier fails', () => {
    const read = readCodeChallenge(pkceClient, challenge, 'S256')!
    expect(() => checkCodeVerifier(read, verifier)).not.toThrow()
    expect(() => checkCodeVerifier(read, `${verifier}x`)).toThrow('invalid_grant')
    expect(() => checkCodeVerifier(read, undefined)).toThrow('invalid_grant')
    expect(() => checkCodeVerifier(read, 'short')).toThrow('invalid_grant')
  })
  test('plain only when the client allows it; required unless requirePkce is off', () => {
    expect(() => readCodeChallenge(pkceClient, verifier, 'plain')).toThrow('invalid_request')
    expect(() => readCodeChallenge(pkceClient, verifier, undefined)).toThrow('invalid_request')
    expect(
      readCodeChallenge(client({ clientId: 'p', allowPlainTextPkce: true }), verifier, undefined)?.method,
    ).toBe('plain')
    expect(() => readCodeChallenge(pkceClient, undefined, undefined)).toThrow('invalid_request')
    expect(
      readCodeChallenge(client({ clientId: 'n', requirePkce: false }), undefined, undefined),
    ).toBeUndefined()
  })
  test('a verifier for a code without a challenge is a downgrade', () => {
    expect(() => checkCodeVerifier(undefined, verifier)).toThrow('invalid_grant')
    expect(() => checkCodeVerifier(undefined, undefined)).not.toThrow()
  })
})

describe('claims parameter', () => {
  test('names per target; malformed input is invalid_request', () => {
    expect(parseClaimsRequest('{"id_token":{"email":{"essential":true}},"userinfo":{"name":null}}')).toEqual({
      idToken: ['email'],
      userinfo: ['name'],
    })
    for (const bad of ['[]', '{"id_token":[]}', '{"id_token":{"email":1}}', 'nope']) {
      expect(() => parseClaimsRequest(bad)).toThrow('invalid_request')
    }
  })
})
