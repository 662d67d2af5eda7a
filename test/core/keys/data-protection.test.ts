import { afterEach, describe, expect, test } from 'bun:test'
import { base64url, decodeProtectedHeader } from 'jose'
import { backends, DAY, SECOND } from './backends.ts'
import { RingHarness } from './harness.ts'

/** Flips one bit of the given compact-JWE segment (0 header, 2 iv, 3 ciphertext, 4 tag). */
function tamper(token: string, segment: number): string {
  const parts = token.split('.')
  const bytes = base64url.decode(parts[segment]!)
  bytes[0]! ^= 1
  parts[segment] = base64url.encode(bytes)
  return parts.join('.')
}

function kidOf(token: string): string {
  return decodeProtectedHeader(token).kid as string
}

for (const backend of backends) {
  describe(`key ring data protection (${backend.name})`, () => {
    const h = new RingHarness(backend)
    afterEach(() => h.dispose())

    test('any instance unprotects what another protected, both ways', async () => {
      const ns = await h.namespace()
      const a = await h.ring(ns)
      const b = await h.ring(ns)
      const state = { returnUrl: '/authorize?client_id=web', nonce: 'n-0S6' }
      expect(await b.unprotect('interaction', await a.protect('interaction', state, 600))).toEqual(state)
      expect(await a.unprotect('interaction', await b.protect('interaction', state, 600))).toEqual(state)
    })

    test('a value protected for one purpose never unprotects for another', async () => {
      const ns = await h.namespace()
      const ring = await h.ring(ns)
      const cookie = await ring.protect('session', { sid: 's1' }, 600)
      expect(await ring.unprotect('anti-forgery', cookie)).toBeUndefined()
      expect(await ring.unprotect('session2', cookie)).toBeUndefined()
      expect(await ring.unprotect('session', cookie)).toEqual({ sid: 's1' })
    })

    test('altered values are rejected, never thrown', async () => {
      const ns = await h.namespace()
      const ring = await h.ring(ns)
      const token = await ring.protect('session', { sid: 's1' }, 600)
      for (const segment of [0, 2, 3, 4])
        expect(await ring.unprotect('session', tamper(token, segment))).toBeUndefined()
      for (const junk of ['', 'abc', 'a.b.c.d.e', `${token}x`, token.split('.').slice(0, 4).join('.')]) {
        expect(await ring.unprotect('session', junk)).toBeUndefined()
      }
    })

    test('a value expires after its ttl', async () => {
      const ns = await h.namespace()
      const ring = await h.ring(ns)
      const token = await ring.protect('state', 'x', 60)
      h.clock.advance(60 * SECOND - 1)
      expect(await ring.unprotect<string>('state', token)).toBe('x')
      h.clock.advance(1)
      expect(await ring.unprotect('state', token)).toBeUndefined()
    })

    test('a key rotated on one instance is found at once by another that meets its kid', async () => {
      const ns = await h.namespace()
      const a = await h.ring(ns)
      const b = await h.ring(ns)
      const [kid] = await a.rotate({ use: 'data-protection', activateNow: true })
      const token = await a.protect('session', { sid: 's2' }, 600)
      expect(kidOf(token)).toBe(kid!)
      // b has not refreshed: the unknown kid makes it read the store once.
      expect(await b.unprotect('session', token)).toEqual({ sid: 's2' })
    })

    test('values protected with a replaced key unprotect until the key is deleted after retention', async () => {
      const ns = await h.namespace()
      const ring = await h.ring(ns)
      const old = await ring.protect('session', 'old', 90 * 24 * 3600)
      const oldKid = kidOf(old)
      await ring.rotate({ use: 'data-protection', activateNow: true })
      const fresh = await ring.protect('session', 'fresh', 60)
      expect(kidOf(fresh)).not.toBe(oldKid)
      // Default data-protection retention: 90 days after the key was replaced.
      h.clock.advance(90 * DAY - SECOND)
      await ring.refresh()
      expect(await ring.unprotect<string>('session', old)).toBe('old')
      h.clock.advance(SECOND)
      await ring.refresh()
      const ids = (await (await ns.connect()).list()).map((r) => r.id)
      expect(ids).not.toContain(oldKid)
    })

    test('a revoked data-protection key is refused by every instance after its refresh', async () => {
      const ns = await h.namespace()
      const a = await h.ring(ns)
      const b = await h.ring(ns)
      const token = await a.protect('session', 'v', 600)
      const kid = kidOf(token)
      expect(await a.revoke(kid)).toBe(true)
      expect(await a.unprotect('session', token)).toBeUndefined()
      await b.refresh()
      expect(await b.unprotect('session', token)).toBeUndefined()
      // Both go on protecting with the replacement key.
      expect(await b.unprotect<string>('session', await a.protect('session', 'w', 600))).toBe('w')
    })

    test('a ttl beyond the key retention is refused', async () => {
      const ns = await h.namespace()
      const ring = await h.ring(ns)
      await expect(ring.protect('session', 'v', 91 * 24 * 3600)).rejects.toThrow(RangeError)
      await expect(ring.protect('session', 'v', 0)).rejects.toThrow(RangeError)
    })
  })
}
