/** RFC 9449 §4.3 stateless checks of a DPoP proof. */
import { describe, expect, test } from 'bun:test'
import { calculateJwkThumbprint } from 'jose'
import { InvalidProof, verifyProof } from '../../../core/protocol/dpop/proof.ts'
import { hmacProof, makeProof, privateKeyProof, proofKey, unsignedProof } from './proofs.ts'

const url = 'https://id.example.test/connect/token'
const expect300 = (now = Date.now()) => ({ method: 'POST', url, now, windowSeconds: 300 })

async function refusal(proof: string, expected = expect300()): Promise<string> {
  try {
    await verifyProof(proof, expected)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidProof)
    return (error as Error).message
  }
  throw new Error('the proof was accepted')
}

describe('DPoP proof', () => {
  test('a valid proof yields the RFC 7638 thumbprint of its key, its jti and iat', async () => {
    for (const alg of ['ES256', 'PS256', 'RS256', 'EdDSA', 'ES384']) {
      const key = await proofKey(alg)
      const proof = await makeProof(key, { htu: url, jti: `jti-${alg}` })
      const verified = await verifyProof(proof, expect300())
      expect(verified.jkt).toBe(await calculateJwkThumbprint(key.publicJwk))
      expect(verified.jti).toBe(`jti-${alg}`)
    }
  })

  test('htu is compared without query and fragment, after normalising case and default port', async () => {
    const key = await proofKey()
    for (const htu of [`${url}?a=1#f`, 'HTTPS://ID.EXAMPLE.TEST:443/connect/token']) {
      expect((await verifyProof(await makeProof(key, { htu }), expect300())).jti).toBeString()
    }
  })

  test('a proof for another URL, method or path prefix is refused', async () => {
    const key = await proofKey()
    expect(await refusal(await makeProof(key, { htu: 'https://evil.example.test/connect/token' }))).toContain(
      'htu',
    )
    expect(await refusal(await makeProof(key, { htu: 'https://id.example.test/connect/token/x' }))).toContain(
      'htu',
    )
    expect(await refusal(await makeProof(key, { htu: 'not a url' }))).toContain('htu')
    expect(await refusal(await makeProof(key, { htu: url, htm: 'GET' }))).toContain('htm')
    expect(await refusal(await makeProof(key, { htu: url, htm: 'post' }))).toContain('htm')
  })

  test('iat outside the window either way is refused', async () => {
    const key = await proofKey()
    const now = Date.now()
    const at = (offset: number) => makeProof(key, { htu: url, iat: Math.floor(now / 1000) + offset })
    expect((await verifyProof(await at(-299), expect300(now))).jti).toBeString()
    expect((await verifyProof(await at(299), expect300(now))).jti).toBeString()
    expect(await refusal(await at(-301), expect300(now))).toContain('iat')
    expect(await refusal(await at(301), expect300(now))).toContain('iat')
  })

  test('typ, alg none, HMAC and private keys in the jwk header are refused', async () => {
    const key = await proofKey()
    expect(await refusal(await makeProof(key, { htu: url, header: { typ: 'JWT' } }))).toContain('invalid')
    expect(await refusal(unsignedProof(key, url))).toContain('invalid')
    expect(await refusal(await hmacProof(url))).toContain('invalid')
    expect(await refusal(await privateKeyProof(key, url))).toContain('invalid')
  })

  test('a proof signed by another key than its jwk header is refused', async () => {
    const key = await proofKey()
    const other = await proofKey()
    const forged = await makeProof(key, { htu: url, header: { jwk: other.publicJwk } })
    expect(await refusal(forged)).toContain('invalid')
  })

  test('missing jti, iat or a non-string nonce are refused', async () => {
    const key = await proofKey()
    expect(await refusal(await makeProof(key, { htu: url, claims: { jti: undefined } }))).toContain('jti')
    expect(await refusal(await makeProof(key, { htu: url, claims: { jti: 'x'.repeat(600) } }))).toContain(
      'jti',
    )
    expect(await refusal(await makeProof(key, { htu: url, claims: { iat: undefined } }))).toContain('iat')
    expect(await refusal(await makeProof(key, { htu: url, claims: { nonce: 5 } }))).toContain('nonce')
  })

  test('at a resource, ath must be the hash of the presented access token', async () => {
    const key = await proofKey()
    const resource = { method: 'GET', url, now: Date.now(), windowSeconds: 300, accessToken: 'token-a' }
    const good = await makeProof(key, { htu: url, htm: 'GET', accessToken: 'token-a' })
    expect((await verifyProof(good, resource)).jti).toBeString()
    const other = await makeProof(key, { htu: url, htm: 'GET', accessToken: 'token-b' })
    expect(await refusal(other, resource)).toContain('ath')
    const none = await makeProof(key, { htu: url, htm: 'GET' })
    expect(await refusal(none, resource)).toContain('ath')
  })
})
