/**
 * Verifying the server's own JWT access tokens (introspection, userinfo) follows the key ring:
 * a revoked key's tokens are refused as soon as the ring no longer publishes it, and a key
 * another instance activated a moment ago is found by looking in the keys store again.
 */
import { describe, expect, test } from 'bun:test'
import { systemClock } from '../../core/clock.ts'
import { KeyRing } from '../../core/keys/key-ring.ts'
import { silentLogger } from '../../core/logger.ts'
import { AccessTokenVerifier } from '../../core/protocol/tokens/access-token-verifier.ts'
import { accessTokenType } from '../../core/protocol/tokens/jwt-access-token.ts'
import type { KeyStore } from '../../core/stores/keys.ts'
import memory from '../../plugins/memory/index.ts'

const issuer = 'https://id.example.test'
const secret = 'verifier-test-secret-0123456789abcdef'

async function keysStore(): Promise<KeyStore> {
  const instance = await memory.create({}, { roles: ['keys'], clock: systemClock, logger: silentLogger })
  return instance.keys!
}

/** An instance's key ring: no timer, so it sees the store only when it looks. */
const ring = (store: KeyStore) =>
  KeyRing.create({ store, secret, algorithms: ['ES256'], refreshInterval: 0, unknownKidRefreshGap: 0 })

const accessToken = (keyRing: KeyRing) =>
  keyRing.sign(
    { iss: issuer, sub: 'm2m', exp: Math.floor(Date.now() / 1000) + 600, client_id: 'm2m' },
    { alg: 'ES256', typ: accessTokenType },
  )

describe('AccessTokenVerifier', () => {
  test("a revoked key's tokens are refused as soon as the key ring stops publishing it", async () => {
    const keyRing = await ring(await keysStore())
    const verifier = new AccessTokenVerifier({ keys: keyRing, clock: systemClock })
    const token = await accessToken(keyRing)
    expect(await verifier.verify(token, issuer)).toMatchObject({ sub: 'm2m' })

    const [{ kid }] = (await keyRing.jwks()).keys as [{ kid: string }]
    expect(await keyRing.revoke(kid)).toBe(true)
    expect(await verifier.verify(token, issuer)).toBeUndefined()
    // The replacement key signs, and its tokens verify.
    expect(await verifier.verify(await accessToken(keyRing), issuer)).toMatchObject({ sub: 'm2m' })
    keyRing.close()
  })

  test('without the key ring (a bare key source) the published keys are read at every verification too', async () => {
    const keyRing = await ring(await keysStore())
    let published = true
    const verifier = new AccessTokenVerifier({
      keys: { jwks: async () => (published ? keyRing.jwks() : { keys: [] }) },
      clock: systemClock,
    })
    const token = await accessToken(keyRing)
    expect(await verifier.verify(token, issuer)).toMatchObject({ sub: 'm2m' })
    published = false
    expect(await verifier.verify(token, issuer)).toBeUndefined()
    keyRing.close()
  })

  test('a key another instance activated a moment ago is found in the keys store', async () => {
    const store = await keysStore()
    const here = await ring(store)
    const there = await ring(store)
    const verifier = new AccessTokenVerifier({ keys: here, clock: systemClock })
    const [kid] = await there.rotate({ alg: 'ES256', activateNow: true })
    const token = await accessToken(there)
    expect(JSON.parse(atob(token.split('.')[0]!)).kid).toBe(kid)
    expect((await here.jwks()).keys.map((key) => key.kid)).not.toContain(kid)
    expect(await verifier.verify(token, issuer)).toMatchObject({ sub: 'm2m' })
    // A foreign issuer or a wrong typ is still refused.
    expect(await verifier.verify(token, 'https://other.example.test')).toBeUndefined()
    here.close()
    there.close()
  })
})
