/**
 * DPoP validation with its state: single use of each proof through the replay cache (per key),
 * server nonces sealed by the key ring that a second key ring over the same store accepts, and
 * the endpoint's error shape (RFC 9449 §5, §7.1, §8, §9).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { KeyRing } from '../../../core/keys/key-ring.ts'
import { DPoPValidator } from '../../../core/protocol/dpop/dpop-validator.ts'
import { DPoPNonces } from '../../../core/protocol/dpop/nonces.ts'
import type { OAuthError } from '../../../core/protocol/errors.ts'
import { type Fixture, keyRing, memoryStores } from '../fixtures.ts'
import { makeProof, proofKey } from './proofs.ts'

const url = 'https://id.example.test/connect/token'

async function refusal(promise: Promise<unknown>): Promise<OAuthError> {
  try {
    await promise
  } catch (error) {
    return error as OAuthError
  }
  throw new Error('the proof was accepted')
}

describe('DPoP validator', () => {
  let fixture: Fixture
  let ring: KeyRing
  let validator: DPoPValidator
  let nonces: DPoPNonces
  beforeAll(async () => {
    fixture = await memoryStores()
    ring = await keyRing(fixture)
    nonces = new DPoPNonces(ring, fixture.clock)
    validator = new DPoPValidator({ replay: fixture.stores.operational.replay, clock: fixture.clock, nonces })
  })
  afterAll(async () => {
    ring.close()
    await fixture.close()
  })
  const request = (header: string | undefined, extra: Record<string, unknown> = {}) => ({
    header,
    method: 'POST',
    url,
    ...extra,
  })
  const now = () => Math.floor(fixture.clock.now() / 1000)

  test('a proof is accepted once; the same proof again is refused as replayed', async () => {
    const key = await proofKey()
    const proof = await makeProof(key, { htu: url, iat: now() })
    expect((await validator.validate(request(proof), 'token')).jkt).toBeString()
    const replayed = await refusal(validator.validate(request(proof), 'token'))
    expect([replayed.error, replayed.status, replayed.description]).toEqual([
      'invalid_dpop_proof',
      400,
      'the DPoP proof was already used',
    ])
  })

  test('the same jti from two keys is two proofs (replay is scoped per key)', async () => {
    const proof = async () => makeProof(await proofKey(), { htu: url, iat: now(), jti: 'shared-jti' })
    await validator.validate(request(await proof()), 'token')
    expect((await validator.validate(request(await proof()), 'token')).jkt).toBeString()
  })

  test('several DPoP headers (joined by a comma) or none are refused', async () => {
    const key = await proofKey()
    const a = await makeProof(key, { htu: url, iat: now() })
    const b = await makeProof(key, { htu: url, iat: now() })
    expect((await refusal(validator.validate(request(`${a}, ${b}`), 'token'))).description).toContain(
      'exactly one',
    )
    expect((await refusal(validator.validate(request(undefined), 'token'))).error).toBe('invalid_dpop_proof')
  })

  test('at a resource a refusal is 401 with a DPoP challenge naming the algorithms', async () => {
    const key = await proofKey()
    const proof = await makeProof(key, { htu: url, htm: 'GET', iat: now() })
    const error = await refusal(validator.validate(request(proof, { accessToken: 'token' }), 'resource'))
    expect(error.status).toBe(401)
    expect(error.headers['WWW-Authenticate']).toStartWith('DPoP error="invalid_dpop_proof"')
    expect(error.headers['WWW-Authenticate']).toContain('algs="ES256 ')
  })

  test('a required nonce: use_dpop_nonce with a DPoP-Nonce, then the proof with it passes', async () => {
    const key = await proofKey()
    const first = await refusal(
      validator.validate(
        request(await makeProof(key, { htu: url, iat: now() }), { requireNonce: true }),
        'token',
      ),
    )
    expect([first.error, first.status]).toEqual(['use_dpop_nonce', 400])
    const nonce = first.headers['DPoP-Nonce']!
    expect(nonce).toMatch(/^[\x21\x23-\x5B\x5D-\x7E]+$/)
    const retry = await makeProof(key, { htu: url, iat: now(), nonce })
    const binding = await validator.validate(request(retry, { requireNonce: true }), 'token')
    expect(binding.jkt).toBeString()
    // RFC 9449 §8.2: the binding carries the nonce for the success answer's DPoP-Nonce.
    expect(binding.nonce).toBe(nonce)
  })

  test('a proof that needs no nonce brings none for the answer, even one that carries a nonce', async () => {
    const key = await proofKey()
    const plain = await validator.validate(request(await makeProof(key, { htu: url, iat: now() })), 'token')
    expect(plain.nonce).toBeUndefined()
    const nonce = await nonces.current()
    const volunteered = await makeProof(key, { htu: url, iat: now(), nonce })
    expect((await validator.validate(request(volunteered), 'token')).nonce).toBeUndefined()
  })

  test('a nonce from another instance (another key ring over the same store) is accepted', async () => {
    const other = await KeyRing.create({
      store: fixture.stores.keys,
      secret: 'protocol-test-secret-0123456789',
      clock: fixture.clock,
      refreshInterval: 0,
    })
    try {
      const nonce = await new DPoPNonces(other, fixture.clock).current()
      const proof = await makeProof(await proofKey(), { htu: url, iat: now(), nonce })
      expect((await validator.validate(request(proof, { requireNonce: true }), 'token')).jkt).toBeString()
    } finally {
      other.close()
    }
  })

  test('a forged or expired nonce gets use_dpop_nonce with a fresh one', async () => {
    const key = await proofKey()
    const forged = await makeProof(key, { htu: url, iat: now(), nonce: 'made-up' })
    const error = await refusal(validator.validate(request(forged), 'token'))
    expect(error.error).toBe('use_dpop_nonce')
    const nonce = await nonces.current()
    fixture.clock.advance(301_000)
    const stale = await makeProof(key, { htu: url, iat: now(), nonce })
    const expired = await refusal(validator.validate(request(stale), 'token'))
    expect(expired.error).toBe('use_dpop_nonce')
    expect(expired.headers['DPoP-Nonce']).not.toBe(nonce)
  })

  test('nonces turned on for the deployment apply to every proof', async () => {
    const strict = new DPoPValidator({
      replay: fixture.stores.operational.replay,
      clock: fixture.clock,
      nonces,
      requireNonces: true,
    })
    const proof = await makeProof(await proofKey(), { htu: url, iat: now() })
    expect((await refusal(strict.validate(request(proof), 'token'))).error).toBe('use_dpop_nonce')
  })
})
