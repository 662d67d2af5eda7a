import { afterEach, describe, expect, test } from 'bun:test'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { KeyDecryptionError, type KeyRing } from '../../../core/keys/index.ts'
import type { KeyStore } from '../../../core/stores/keys.ts'
import { backends, DAY, SECOND } from './backends.ts'
import { RingHarness } from './harness.ts'

const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']

async function verifiesAgainstJwks(ring: KeyRing, token: string): Promise<boolean> {
  try {
    await jwtVerify(token, createLocalJWKSet(await ring.jwks()))
    return true
  } catch {
    return false
  }
}

/** A real store that counts the calls made through it. */
function counted(store: KeyStore): { store: KeyStore; calls: () => number } {
  let calls = 0
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A) => {
      calls++
      return fn(...args)
    }
  return {
    store: {
      list: wrap(() => store.list()),
      add: wrap((r) => store.add(r)),
      update: wrap((r, v) => store.update(r, v)),
      remove: wrap((id) => store.remove(id)),
    },
    calls: () => calls,
  }
}

for (const backend of backends) {
  describe(`key ring signing keys (${backend.name})`, () => {
    const h = new RingHarness(backend)
    afterEach(() => h.dispose())

    test('two instances on one store sign with the same keys and verify each other', async () => {
      const ns = await h.namespace()
      const algorithms = ['RS256', 'ES256'] as const
      const a = await h.ring(ns, { algorithms })
      const b = await h.ring(ns, { algorithms })
      for (const alg of algorithms) {
        expect((await b.signingKey(alg)).kid).toBe((await a.signingKey(alg)).kid)
        const fromA = await a.sign({ sub: 'alice' }, { alg })
        const fromB = await b.sign({ sub: 'bob' }, { alg })
        expect((await b.verify(fromA)).payload.sub).toBe('alice')
        expect((await a.verify(fromB)).payload.sub).toBe('bob')
        expect(await verifiesAgainstJwks(b, fromA)).toBe(true)
        expect(await verifiesAgainstJwks(a, fromB)).toBe(true)
      }
      expect(await a.jwks()).toEqual(await b.jwks())
    })

    test('ten instances starting at once on an empty store create one key per algorithm', async () => {
      const ns = await h.namespace()
      const rings = await Promise.all(
        Array.from({ length: 10 }, () => h.ring(ns, { algorithms: ['RS256', 'ES256'] })),
      )
      const records = await (await ns.connect()).list()
      for (const alg of ['RS256', 'ES256']) {
        const keys = records.filter((r) => r.use === 'signing' && r.algorithm === alg)
        expect(keys).toHaveLength(1)
        for (const ring of rings) {
          expect((await ring.signingKey(alg as 'RS256' | 'ES256')).kid).toBe(keys[0]!.id)
        }
      }
      const protection = records.filter((r) => r.use === 'data-protection')
      expect(protection).toHaveLength(1)
      const sealed = await rings[3]!.protect('race', 'hello', 60)
      for (const ring of rings) expect(await ring.unprotect<string>('race', sealed)).toBe('hello')
    }, 30_000)

    test('the JWKS publishes kid, alg and use "sig" and never a private or symmetric member', async () => {
      const ns = await h.namespace()
      const ring = await h.ring(ns, { algorithms: ['RS256', 'ES256'] })
      const { keys } = await ring.jwks()
      expect(keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256'])
      for (const key of keys) {
        expect(key.use).toBe('sig')
        expect(typeof key.kid).toBe('string')
        for (const member of privateMembers) expect(key).not.toHaveProperty(member)
      }
      expect(keys.find((k) => k.alg === 'RS256')).toMatchObject({ kty: 'RSA', e: 'AQAB' })
      expect(keys.find((k) => k.alg === 'ES256')).toMatchObject({ kty: 'EC', crv: 'P-256' })
    })

    test('key material is encrypted in the store', async () => {
      const ns = await h.namespace()
      const ring = await h.ring(ns, { algorithms: ['RS256'] })
      const jwk = (await ring.jwks()).keys[0]!
      for (const record of await (await ns.connect()).list()) {
        if (record.use === 'state') continue
        expect(decodeProtectedHeader(record.data)).toEqual({ alg: 'dir', enc: 'A256GCM', kid: record.id })
        expect(record.data).not.toContain(jwk.n!.slice(0, 40))
        expect(record.data).not.toContain('"d"')
      }
    })

    test('a key moves announced → active → retired → deleted as the clock moves', async () => {
      const ns = await h.namespace()
      const a = await h.ring(ns)
      const b = await h.ring(ns)
      const first = await a.signingKey()
      const oldToken = await a.sign({ sub: 'old' })
      expect((await a.list()).find((k) => k.kid === first.kid)).toMatchObject({ status: 'active' })

      // 90 - 14 days in: the successor is announced and published, but does not sign yet.
      h.clock.advance(76 * DAY)
      await a.refresh()
      await b.refresh()
      const announced = (await a.list()).find((k) => k.status === 'announced' && k.use === 'signing')!
      expect(announced).toBeDefined()
      expect(announced.activatesAt).toBe(h.clock.now() + 14 * DAY)
      expect((await b.jwks()).keys.map((k) => k.kid).sort()).toEqual([first.kid, announced.kid].sort())
      expect((await b.signingKey()).kid).toBe(first.kid)

      // Day 90: every instance switches from its cache, with no store read.
      h.clock.advance(14 * DAY)
      expect((await a.signingKey()).kid).toBe(announced.kid)
      expect((await b.signingKey()).kid).toBe(announced.kid)
      const statuses = Object.fromEntries((await a.list()).map((k) => [k.kid, k.status]))
      expect(statuses[first.kid]).toBe('retired')
      expect(statuses[announced.kid]).toBe('active')

      // A token signed by the retired key verifies until retention (14 days) ends.
      h.clock.advance(14 * DAY - SECOND)
      expect(await verifiesAgainstJwks(b, oldToken)).toBe(true)
      h.clock.advance(SECOND)
      expect(await verifiesAgainstJwks(b, oldToken)).toBe(false)
      await expect(b.verify(oldToken)).rejects.toThrow()

      // Deleted from the store by the next refresh.
      await b.refresh()
      const ids = (await (await ns.connect()).list()).map((r) => r.id)
      expect(ids).not.toContain(first.kid)
      expect(ids).toContain(announced.kid)
    })

    test('maintenance that runs late still announces the successor for the full propagation time', async () => {
      const ns = await h.namespace()
      const ring = await h.ring(ns)
      const first = await ring.signingKey()
      h.clock.advance(200 * DAY)
      await ring.refresh()
      expect((await ring.signingKey()).kid).toBe(first.kid)
      const next = (await ring.list()).find((k) => k.status === 'announced')!
      expect(next.activatesAt).toBe(h.clock.now() + 14 * DAY)
    })

    test('rotate announces a new key; --activate-now makes it sign at once on every instance', async () => {
      const ns = await h.namespace()
      const a = await h.ring(ns)
      const b = await h.ring(ns)
      const first = await a.signingKey()

      const [announced] = await a.rotate()
      await b.refresh()
      expect((await b.jwks()).keys.map((k) => k.kid)).toContain(announced!)
      expect((await b.signingKey()).kid).toBe(first.kid)

      const [urgent] = await a.rotate({ activateNow: true })
      await b.refresh()
      expect((await a.signingKey()).kid).toBe(urgent!)
      expect((await b.signingKey()).kid).toBe(urgent!)
      // The replaced key stays published for tokens it signed.
      expect((await b.jwks()).keys.map((k) => k.kid)).toContain(first.kid)
    })

    test('a revoked key leaves the JWKS and is refused by every instance within the refresh interval', async () => {
      const ns = await h.namespace()
      const a = await h.ring(ns)
      const b = await h.ring(ns, { refreshInterval: 0.05 })
      const revoked = await a.signingKey()
      const token = await b.sign({ sub: 'alice' })
      expect((await a.verify(token)).payload.sub).toBe('alice')

      expect(await a.revoke(revoked.kid)).toBe(true)
      expect((await a.jwks()).keys.map((k) => k.kid)).not.toContain(revoked.kid)
      // The revoking instance signs with a new key at once.
      const replacement = await a.signingKey()
      expect(replacement.kid).not.toBe(revoked.kid)

      // b's timer picks the revocation up (50 ms here, 60 s by default).
      const deadline = Date.now() + 5_000
      while ((await b.jwks()).keys.some((k) => k.kid === revoked.kid) && Date.now() < deadline) {
        await Bun.sleep(20)
      }
      expect((await b.jwks()).keys.map((k) => k.kid)).not.toContain(revoked.kid)
      await expect(b.verify(token)).rejects.toThrow()
      expect(await verifiesAgainstJwks(b, token)).toBe(false)
      expect((await b.signingKey()).kid).toBe(replacement.kid)
      expect(await a.revoke(revoked.kid)).toBe(false)
    })

    test('signing does no store I/O once the key ring is warm', async () => {
      const ns = await h.namespace()
      const probe = counted(await ns.connect())
      const ring = await h.ring(ns, { store: probe.store, algorithms: ['RS256', 'ES256'] })
      const before = probe.calls()
      for (let i = 0; i < 20; i++) {
        await ring.sign({ i }, { alg: 'RS256' })
        await ring.sign({ i }, { alg: 'ES256' })
        await ring.jwks()
      }
      expect(probe.calls()).toBe(before)
    })

    test('a wrong secret is a clear error naming the kid that cannot be decrypted', async () => {
      const ns = await h.namespace()
      const ring = await h.ring(ns)
      const { kid } = await ring.signingKey()
      const failure = await h
        .ring(ns, { secret: 'another-secret-entirely-0123456789' })
        .catch((e: unknown) => e)
      expect(failure).toBeInstanceOf(KeyDecryptionError)
      const { kid: named, message } = failure as KeyDecryptionError
      const ids = (await (await ns.connect()).list()).map((r) => r.id)
      expect(ids).toContain(named)
      expect(message).toContain(named)
      expect(message).toContain('PORTICO_KEY_SECRET')
      expect([kid, ...ids]).toContain(named)
    })

    test('a key record moved under another id is refused, naming that id', async () => {
      const ns = await h.namespace()
      await h.ring(ns, { algorithms: ['RS256', 'ES256'] })
      const store = await ns.connect()
      const records = await store.list()
      const rs = records.find((r) => r.algorithm === 'RS256' && r.use === 'signing')!
      const es = records.find((r) => r.algorithm === 'ES256' && r.use === 'signing')!
      expect(await store.update({ ...es, data: rs.data, version: es.version + 1 }, es.version)).toBe(true)
      const failure = await h.ring(ns, { algorithms: ['RS256', 'ES256'] }).catch((e: unknown) => e)
      expect(failure).toBeInstanceOf(KeyDecryptionError)
      expect((failure as KeyDecryptionError).kid).toBe(es.id)
    })

    test('a running key ring keeps signing from its cache when the store goes away', async () => {
      const ns = await h.namespace()
      const ring = await h.ring(ns)
      const { kid } = await ring.signingKey()
      const sealed = await ring.protect('session', 'v', 600)
      await ns.dispose()
      await expect(ring.refresh()).rejects.toThrow()
      expect(decodeProtectedHeader(await ring.sign({ sub: 'alice' })).kid).toBe(kid)
      expect((await ring.jwks()).keys.map((k) => k.kid)).toEqual([kid])
      expect(await ring.unprotect<string>('session', sealed)).toBe('v')
    })

    test('close() stops the refresh timer', async () => {
      const ns = await h.namespace()
      const a = await h.ring(ns)
      const b = await h.ring(ns, { refreshInterval: 0.02 })
      const { kid } = await a.signingKey()
      b.close()
      await a.revoke(kid)
      await Bun.sleep(150)
      expect((await b.jwks()).keys.map((k) => k.kid)).toContain(kid)
      await b.refresh()
      expect((await b.jwks()).keys.map((k) => k.kid)).not.toContain(kid)
    })

    test('a key record left by a crashed or losing instance is removed once it is old enough', async () => {
      const ns = await h.namespace()
      const ring = await h.ring(ns)
      const store = await ns.connect()
      const stray = (await store.list()).find((r) => r.use === 'signing')!
      const orphan = (id: string, createdAt: number) => ({ ...stray, id, createdAt, version: 1 })
      expect(await store.add(orphan('orphan-old', h.clock.now() - 11 * 60 * SECOND))).toBe(true)
      expect(await store.add(orphan('orphan-new', h.clock.now()))).toBe(true)
      await ring.refresh()
      const ids = (await store.list()).map((r) => r.id)
      expect(ids).not.toContain('orphan-old')
      // A fresh one may be a racing instance's key about to be committed.
      expect(ids).toContain('orphan-new')
      expect((await ring.jwks()).keys.map((k) => k.kid)).toEqual([stray.id])
    })

    test('an unconfigured algorithm is refused', async () => {
      const ns = await h.namespace()
      const ring = await h.ring(ns, { algorithms: ['ES256'] })
      await expect(ring.signingKey('RS256')).rejects.toThrow('not configured')
    })
  })
}
