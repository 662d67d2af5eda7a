import { expect, test } from 'bun:test'
import { importJWK, jwtVerify, SignJWT } from 'jose'
import { publicJwk } from '../../../core/keys/jwks.ts'
import { generateSigningJwk } from '../../../core/keys/signing-keys.ts'

// A key rotating in on a busy instance must not freeze its requests: RSA generation is slow,
// so it has to run off the event loop. Timers keep firing while the keys are generated.
test('signing keys are generated without blocking the event loop', async () => {
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  try {
    await Promise.all([1, 2, 3, 4].map(() => generateSigningJwk('RS256')))
  } finally {
    clearInterval(timer)
  }
  expect(ticks).toBeGreaterThanOrEqual(3)
})

test.each(['RS256', 'ES256'] as const)(
  'a generated %s key signs what its public JWK verifies',
  async (alg) => {
    const jwk = await generateSigningJwk(alg)
    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg }).sign(await importJWK(jwk, alg))
    const { payload } = await jwtVerify(token, await importJWK(publicJwk(jwk, 'k1', alg), alg))
    expect(payload.sub).toBe('x')
  },
)
