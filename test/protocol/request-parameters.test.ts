import { describe, expect, test } from 'bun:test'
import { OAuthError } from '../../core/protocol/errors.ts'
import { RequestParameters } from '../../core/protocol/request-parameters.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

function rejects(body: Uint8Array | string): OAuthError {
  try {
    RequestParameters.fromForm(body)
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError)
    return error as OAuthError
  }
  throw new Error('accepted a malformed body')
}

describe('RequestParameters', () => {
  test('decodes a form body, + as space and percent escapes as UTF-8', () => {
    const params = RequestParameters.fromForm(bytes('scope=a+b&name=caf%C3%A9'))
    expect(params.get('scope')).toBe('a b')
    expect(params.get('name')).toBe('café')
  })

  test('an empty value is treated as omitted (RFC 6749 §3.1)', () => {
    const params = RequestParameters.fromForm(bytes('scope=&grant_type=x'))
    expect(params.get('scope')).toBeUndefined()
    expect(params.has('scope')).toBe(false)
  })

  test('a repeated parameter is invalid_request on read', () => {
    const params = RequestParameters.fromForm(bytes('scope=a&scope=b'))
    expect(() => params.get('scope')).toThrow(OAuthError)
  })

  test('getAll reads parameters that may repeat, such as resource', () => {
    const params = RequestParameters.fromForm(bytes('resource=a&resource=b&resource='))
    expect(params.getAll('resource')).toEqual(['a', 'b'])
  })

  test('require names the missing parameter', () => {
    const params = RequestParameters.fromForm(bytes(''))
    expect(() => params.require('grant_type')).toThrow('grant_type')
  })

  test('bytes that are not UTF-8, raw or percent-encoded, are refused', () => {
    expect(rejects(new Uint8Array([0x61, 0x3d, 0xff])).error).toBe('invalid_request')
    expect(rejects(bytes('a=%FF')).error).toBe('invalid_request')
    expect(rejects(bytes('a=%C3')).error).toBe('invalid_request')
  })

  test('malformed escapes, control characters and oversized values are refused', () => {
    expect(rejects('a=%ZZ').error).toBe('invalid_request')
    expect(rejects('a=%4').error).toBe('invalid_request')
    expect(rejects('a=x%00').error).toBe('invalid_request')
    expect(rejects('a=line%0Abreak').error).toBe('invalid_request')
    expect(rejects(`a=${'x'.repeat(16 * 1024 + 1)}`).error).toBe('invalid_request')
    expect(RequestParameters.fromForm(`a=${'x'.repeat(16 * 1024)}`).get('a')).toHaveLength(16 * 1024)
  })
})
