import { compareCodePoints } from '../../core/stores/order.ts'
import { aUser, uniqueId } from './fixtures.ts'
import type { Harness } from './harness.ts'
import { errorCodes } from './verify.ts'

export function userTests<O>(h: Harness<O>): void {
  h.runner.describe('configuration: users', () => {
    h.test('a user round-trips by subjectId and by username (unicode, JSON claims)', async (s) => {
      const { configuration, verify } = s
      const user = aUser({ username: `zoë.${uniqueId('ñ')}` })
      await configuration.users.upsert(user)
      verify.equal(await configuration.users.findBySubjectId(user.subjectId), user, 'findBySubjectId')
      verify.equal(await configuration.users.findByUsername(user.username), user, 'findByUsername')
    })

    h.test('optional fields left out come back absent', async ({ configuration, verify }) => {
      const user = aUser({ claims: {}, lockout: { failedCount: 0 } })
      delete user.passwordHash
      await configuration.users.upsert(user)
      const found = await configuration.users.findBySubjectId(user.subjectId)
      verify.equal(found, user, 'a user without password hash or lockedUntil round-trips')
      verify.absent(found?.passwordHash, 'unset passwordHash must be undefined')
      verify.absent(found?.lockout.lockedUntil, 'unset lockout.lockedUntil must be undefined')
    })

    h.test('unknown subjectId and username are undefined', async ({ configuration, verify }) => {
      verify.absent(await configuration.users.findBySubjectId(uniqueId('sub')), 'unknown subjectId')
      verify.absent(await configuration.users.findByUsername(uniqueId('user')), 'unknown username')
    })

    h.test(
      'findByUsername is case-insensitive (as JavaScript toLowerCase)',
      async ({ configuration, verify }) => {
        const user = aUser({ username: `Élodie.Zoë.${uniqueId('x')}` })
        await configuration.users.upsert(user)
        for (const spelling of [user.username.toLowerCase(), user.username.toUpperCase(), user.username]) {
          const found = await configuration.users.findByUsername(spelling)
          verify.same(
            found?.subjectId,
            user.subjectId,
            `findByUsername(${JSON.stringify(spelling)}) finds the user`,
          )
          verify.same(found?.username, user.username, 'the username keeps the case it was stored with')
        }
      },
    )

    h.test('a username taken by another subject (any case) throws StoreConflictError', async (s) => {
      const { configuration, verify } = s
      const alice = aUser({ username: `alice.${uniqueId('x')}` })
      await configuration.users.upsert(alice)
      const intruder = aUser({ username: alice.username.toUpperCase() })
      await verify.rejects(
        () => configuration.users.upsert(intruder),
        'upsert must throw StoreConflictError when another subject holds the username',
        errorCodes.conflict,
      )
      verify.absent(await configuration.users.findBySubjectId(intruder.subjectId), 'the loser is not stored')
      verify.equal(
        await configuration.users.findByUsername(alice.username),
        alice,
        'the holder of the username is unchanged',
      )
    })

    h.test('upsert replaces a user; a rename frees the old username', async ({ configuration, verify }) => {
      const user = aUser()
      await configuration.users.upsert(user)
      const renamed = { ...user, username: uniqueId('renamed'), enabled: false, claims: { name: 'New' } }
      await configuration.users.upsert(renamed)
      verify.equal(await configuration.users.findBySubjectId(user.subjectId), renamed, 'upsert replaces')
      verify.absent(await configuration.users.findByUsername(user.username), 'the old username finds nobody')
      const successor = aUser({ username: user.username })
      await configuration.users.upsert(successor)
      verify.equal(
        await configuration.users.findByUsername(user.username),
        successor,
        'another subject may take the freed username',
      )
    })

    h.test('a user may change the case of their own username', async ({ configuration, verify }) => {
      const user = aUser({ username: `bob.${uniqueId('x')}` })
      await configuration.users.upsert(user)
      const recased = { ...user, username: user.username.toUpperCase() }
      await configuration.users.upsert(recased)
      verify.equal(await configuration.users.findByUsername(user.username), recased, 'same subject, new case')
    })

    h.test('setLockout replaces only the lockout record', async ({ configuration, verify }) => {
      const user = aUser()
      await configuration.users.upsert(user)
      const lockout = { failedCount: 5, lockedUntil: 1_950_000_000_000 }
      verify.same(await configuration.users.setLockout(user.subjectId, lockout), true, 'setLockout on a user')
      verify.equal(
        await configuration.users.findBySubjectId(user.subjectId),
        { ...user, lockout },
        'only lockout changed',
      )
      await configuration.users.setLockout(user.subjectId, { failedCount: 0 })
      const cleared = await configuration.users.findBySubjectId(user.subjectId)
      verify.equal(cleared?.lockout, { failedCount: 0 }, 'a lockout without lockedUntil replaces the old one')
      verify.absent(cleared?.lockout.lockedUntil, 'lockedUntil is cleared')
      verify.same(
        await configuration.users.setLockout(uniqueId('sub'), lockout),
        false,
        'setLockout on an unknown user is false',
      )
    })

    h.test(
      'list (optional) returns every user with its lockout, ordered by subjectId in code point order',
      async ({ configuration, verify }) => {
        // A plugin over an application's own user table may leave listing out.
        if (!configuration.users.list) return
        const users = ['sub-b', 'sub-a', 'sub-é', 'sub-Z'].map((subjectId) => aUser({ subjectId }))
        for (const user of users) await configuration.users.upsert(user)
        const lockout = { failedCount: 3, lockedUntil: 1_960_000_000_000 }
        await configuration.users.setLockout('sub-a', lockout)
        users[1]!.lockout = lockout
        verify.equal(
          await configuration.users.list(),
          [...users].sort((a, b) => compareCodePoints(a.subjectId, b.subjectId)),
          'users.list returns every user, lockout included, ordered by subjectId',
        )
      },
    )

    h.test('remove deletes the user and frees the username', async ({ configuration, verify }) => {
      const user = aUser()
      const other = aUser()
      await configuration.users.upsert(user)
      await configuration.users.upsert(other)
      verify.same(await configuration.users.remove(user.subjectId), true, 'remove of an existing user')
      verify.absent(await configuration.users.findBySubjectId(user.subjectId), 'removed by subjectId')
      verify.absent(await configuration.users.findByUsername(user.username), 'removed by username')
      verify.same(await configuration.users.remove(user.subjectId), false, 'a second remove is false')
      await configuration.users.upsert(aUser({ username: user.username }))
      verify.equal(await configuration.users.findBySubjectId(other.subjectId), other, 'other users untouched')
    })

    h.test('values are copied: mutating input or output never changes the store', async (s) => {
      const { configuration, verify } = s
      const user = aUser()
      const expected = structuredClone(user)
      await configuration.users.upsert(user)
      user.claims.name = 'changed'
      user.lockout.failedCount = 99
      const found = await configuration.users.findBySubjectId(user.subjectId)
      if (found) found.claims.email = 'evil@example.com'
      verify.equal(await configuration.users.findBySubjectId(user.subjectId), expected, 'stored user changed')
    })
  })
}
