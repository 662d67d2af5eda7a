/** The store's credential check: argon2id, and no enumeration by result or by timing. */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { availableParallelism } from 'node:os'
import { noLockout } from '../../../core/models/user.ts'
import { hashPassword, storeCredentialCheck } from '../../../core/protocol/login/credential-check.ts'
import { type Fixture, memoryStores } from '../fixtures.ts'

let fixture: Fixture
const context = { issuer: 'https://id.example.test' }
beforeAll(async () => {
  fixture = await memoryStores()
  const users = fixture.stores.configuration.users
  const passwordHash = await hashPassword('alice-pass')
  const base = { claims: {}, enabled: true, lockout: noLockout }
  await users.upsert({
    ...base,
    subjectId: '1',
    username: 'alice',
    passwordHash,
    claims: { name: 'Alice Smith' },
  })
  await users.upsert({ ...base, subjectId: '2', username: 'bob', passwordHash })
  await users.upsert({ ...base, subjectId: '3', username: 'off', passwordHash, enabled: false })
  await users.upsert({ ...base, subjectId: '4', username: 'nopass' })
  await users.upsert({ ...base, subjectId: '5', username: 'broken', passwordHash: 'not-a-hash' })
})
afterAll(() => fixture.close())

test('the right password gives the subject, pwd and the display name (claims.name, else the user name)', async () => {
  const check = storeCredentialCheck(fixture.stores.configuration.users)
  expect(await check('Alice', 'alice-pass', context)).toEqual({
    subjectId: '1',
    displayName: 'Alice Smith',
    amr: ['pwd'],
    claims: { name: 'Alice Smith' },
  })
  expect(await check('bob', 'alice-pass', context)).toMatchObject({ subjectId: '2', displayName: 'bob' })
})

test('wrong password, unknown, disabled, password-less or malformed: all undefined, never an error', async () => {
  const check = storeCredentialCheck(fixture.stores.configuration.users)
  for (const [username, password] of [
    ['alice', 'wrong'],
    ['ghost', 'alice-pass'],
    ['off', 'alice-pass'],
    ['nopass', ''],
    ['broken', 'alice-pass'],
  ] as const) {
    expect(await check(username, password, context)).toBeUndefined()
  }
})

test('an unknown user costs the same argon2id work as a known one', async () => {
  const check = storeCredentialCheck(fixture.stores.configuration.users)
  await check('ghost', 'x', context) // the dummy hash is made once, lazily
  const time = async (username: string) => {
    const started = performance.now()
    for (let i = 0; i < 2; i++) await check(username, 'wrong', context)
    return performance.now() - started
  }
  const known = await time('alice')
  const unknown = await time('ghost')
  const disabled = await time('off')
  // Both verify one argon2id hash with the same parameters (tens of ms); a skipped hash would
  // be under a millisecond. Generous bounds: the machine is shared.
  for (const other of [unknown, disabled]) {
    expect(other).toBeGreaterThan(known / 5)
    expect(other).toBeLessThan(known * 5)
  }
}, 30_000)

test('parallel logins verify at most one password per core at a time, and every one gets its answer', async () => {
  const check = storeCredentialCheck(fixture.stores.configuration.users)
  const verify = Bun.password.verify
  let active = 0
  let peak = 0
  Bun.password.verify = (async (...args: Parameters<typeof verify>) => {
    active++
    peak = Math.max(peak, active)
    try {
      return await verify(...args)
    } finally {
      active--
    }
  }) as typeof verify
  try {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => check('alice', i % 2 === 0 ? 'alice-pass' : 'wrong', context)),
    )
    expect(answers.map((answer) => answer?.subjectId)).toEqual(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? '1' : undefined)),
    )
    expect(peak).toBeLessThanOrEqual(Math.max(1, availableParallelism()))
    expect(peak).toBeGreaterThanOrEqual(1)
  } finally {
    Bun.password.verify = verify
  }
}, 30_000)
