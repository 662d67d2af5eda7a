import { expect, test } from 'bun:test'
import { hashSecret } from '../../core/models/secret.ts'
import { matchesSharedSecret } from '../../core/protocol/shared-secret.ts'

const now = Date.UTC(2026, 0, 1)

test('a presented secret matches its stored SHA-256 hash, never the hash itself', () => {
  const secrets = [{ type: 'SharedSecret' as const, value: hashSecret('s3cret') }]
  expect(matchesSharedSecret(secrets, 's3cret', now)).toBe(true)
  expect(matchesSharedSecret(secrets, 's3cret ', now)).toBe(false)
  expect(matchesSharedSecret(secrets, hashSecret('s3cret'), now)).toBe(false)
  expect(matchesSharedSecret(secrets, '', now)).toBe(false)
})

test('any unexpired secret of several matches; an expired one never does', () => {
  const secrets = [
    { type: 'SharedSecret' as const, value: hashSecret('old'), expiration: now - 1 },
    { type: 'SharedSecret' as const, value: hashSecret('new'), expiration: now + 1000 },
    { type: 'SharedSecret' as const, value: hashSecret('forever') },
  ]
  expect(matchesSharedSecret(secrets, 'old', now)).toBe(false)
  expect(matchesSharedSecret(secrets, 'new', now)).toBe(true)
  expect(matchesSharedSecret(secrets, 'forever', now)).toBe(true)
  expect(matchesSharedSecret(secrets, 'new', now + 1000)).toBe(false)
})

test('JSON Web Key secrets and malformed stored values never match a shared secret', () => {
  const secrets = [
    { type: 'JsonWebKey' as const, value: hashSecret('x') },
    { type: 'SharedSecret' as const, value: 'not base64 of 32 bytes' },
  ]
  expect(matchesSharedSecret(secrets, 'x', now)).toBe(false)
})
