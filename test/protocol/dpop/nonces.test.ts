/**
 * RFC 9449 §8 server nonces sealed with the key ring: one nonce per instance at a time, renewed
 * after a minute, each accepted for five; nothing but the key ring is shared.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { KeyRing } from '../../../core/keys/key-ring.ts'
import { DPoPNonces } from '../../../core/protocol/dpop/nonces.ts'
import { type Fixture, keyRing, memoryStores } from '../fixtures.ts'

describe('DPoP nonces', () => {
  let fixture: Fixture
  let ring: KeyRing
  beforeAll(async () => {
    fixture = await memoryStores()
    ring = await keyRing(fixture)
  })
  afterAll(async () => {
    ring.close()
    await fixture.close()
  })

  test('the same nonce until renewal; the previous one stays valid until it expires', async () => {
    const nonces = new DPoPNonces(ring, fixture.clock)
    const first = await nonces.current()
    expect(await nonces.current()).toBe(first)
    expect(await nonces.isValid(first)).toBe(true)
    fixture.clock.advance(61_000)
    const second = await nonces.current()
    expect(second).not.toBe(first)
    expect(await nonces.isValid(first)).toBe(true)
    fixture.clock.advance(240_000)
    expect(await nonces.isValid(first)).toBe(false)
    expect(await nonces.isValid(second)).toBe(true)
  })

  test('a value sealed for another purpose, an altered nonce or a huge one is not a nonce', async () => {
    const nonces = new DPoPNonces(ring, fixture.clock)
    const other = await ring.protect('anti-forgery', 1, 60)
    expect(await nonces.isValid(other)).toBe(false)
    const nonce = await nonces.current()
    const altered = `${nonce.slice(0, -2)}${nonce.endsWith('AA') ? 'BB' : 'AA'}`
    expect(await nonces.isValid(altered)).toBe(false)
    expect(await nonces.isValid('x'.repeat(5000))).toBe(false)
  })
})
