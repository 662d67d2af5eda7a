import { aSession, hour, minute, uniqueId } from './fixtures.ts'
import type { Harness } from './harness.ts'
import { errorCodes } from './verify.ts'

export function sessionTests<O>(h: Harness<O>): void {
  h.runner.describe('operational: user sessions', () => {
    h.test(
      'a session round-trips (unicode display name and data)',
      async ({ operational, clock, verify }) => {
        const session = aSession(clock.now())
        await operational.sessions.create(session)
        verify.equal(
          await operational.sessions.get(session.key),
          session,
          'get returns the session as created',
        )
      },
    )

    h.test('optional fields left out come back absent, not null', async ({ operational, clock, verify }) => {
      const session = aSession(clock.now())
      delete session.displayName
      await operational.sessions.create(session)
      const found = await operational.sessions.get(session.key)
      verify.equal(found, session, 'a session without displayName round-trips')
      verify.absent(found?.displayName, 'unset displayName must be undefined')
    })

    h.test(
      'create with an existing key throws StoreConflictError',
      async ({ operational, clock, verify }) => {
        const session = aSession(clock.now())
        await operational.sessions.create(session)
        await verify.rejects(
          () => operational.sessions.create({ ...aSession(clock.now()), key: session.key }),
          'create must throw StoreConflictError for an existing key',
          errorCodes.conflict,
        )
        verify.equal(
          await operational.sessions.get(session.key),
          session,
          'the existing session is unchanged',
        )
      },
    )

    h.test(
      'an expired, not yet purged key is free: create takes it',
      async ({ operational, clock, verify }) => {
        const old = aSession(clock.now(), { expiresAt: clock.now() + minute })
        await operational.sessions.create(old)
        clock.advance(minute)
        const fresh = { ...aSession(clock.now()), key: old.key }
        const guarantee =
          'sessions.create over an expired session not yet purged must succeed (expired means absent) and store the new session'
        try {
          await operational.sessions.create(fresh)
        } catch (error) {
          verify.fail(guarantee, [`create threw ${(error as Error)?.name}: ${(error as Error)?.message}`])
        }
        verify.equal(await operational.sessions.get(old.key), fresh, guarantee)
      },
    )

    h.test('get never returns an expired session (context clock)', async ({ operational, clock, verify }) => {
      const session = aSession(clock.now(), { expiresAt: clock.now() + minute })
      await operational.sessions.create(session)
      clock.advance(minute - 1)
      verify.equal(await operational.sessions.get(session.key), session, 'alive 1 ms before expiresAt')
      clock.advance(1)
      verify.absent(await operational.sessions.get(session.key), 'at expiresAt the session is gone')
      verify.absent(await operational.sessions.get(uniqueId('nope')), 'an unknown key is undefined')
    })

    h.test('touch renews an unexpired session; data is kept unless given', async (s) => {
      const { operational, clock, verify } = s
      const session = aSession(clock.now(), { expiresAt: clock.now() + minute })
      await operational.sessions.create(session)
      clock.advance(30_000)
      const renewal = { renewedAt: clock.now(), expiresAt: clock.now() + hour }
      verify.same(await operational.sessions.touch(session.key, renewal), true, 'touch an unexpired session')
      clock.advance(minute)
      verify.equal(
        await operational.sessions.get(session.key),
        { ...session, ...renewal },
        'after touch the session lives past its old expiresAt, with its data kept',
      )
      const withData = { renewedAt: clock.now(), expiresAt: clock.now() + hour, data: '{"acr":"mfa"}' }
      await operational.sessions.touch(session.key, withData)
      verify.equal(
        await operational.sessions.get(session.key),
        { ...session, ...withData },
        'touch replaces data',
      )
    })

    h.test('touch of an expired or unknown session is false', async ({ operational, clock, verify }) => {
      const session = aSession(clock.now(), { expiresAt: clock.now() + minute })
      await operational.sessions.create(session)
      clock.advance(minute)
      const renewal = { renewedAt: clock.now(), expiresAt: clock.now() + hour }
      verify.same(
        await operational.sessions.touch(session.key, renewal),
        false,
        'an expired session stays dead',
      )
      verify.absent(await operational.sessions.get(session.key), 'touch must not revive an expired session')
      verify.same(await operational.sessions.touch(uniqueId('nope'), renewal), false, 'unknown session')
    })

    h.test('remove deletes one session: true once, then false', async ({ operational, clock, verify }) => {
      const session = aSession(clock.now())
      const sibling = aSession(clock.now(), { subjectId: session.subjectId })
      await operational.sessions.create(session)
      await operational.sessions.create(sibling)
      verify.same(await operational.sessions.remove(session.key), true, 'remove an existing session')
      verify.absent(await operational.sessions.get(session.key), 'a removed session is gone')
      verify.same(await operational.sessions.remove(session.key), false, 'a second remove is false')
      verify.equal(await operational.sessions.get(sibling.key), sibling, 'other sessions are untouched')
    })

    h.test('listBySubject returns the subject’s unexpired sessions, oldest first', async (s) => {
      const { operational, clock, verify } = s
      const subjectId = uniqueId('subject')
      const now = clock.now()
      const newer = aSession(now, { subjectId, createdAt: now - 1000 })
      const older = aSession(now, { subjectId, createdAt: now - 5000 })
      const expiring = aSession(now, { subjectId, createdAt: now - 9000, expiresAt: now + minute })
      const stranger = aSession(now)
      for (const x of [newer, older, expiring, stranger]) await operational.sessions.create(x)
      verify.equal(
        await operational.sessions.listBySubject(subjectId),
        [expiring, older, newer],
        'every session of the subject, oldest first',
      )
      clock.advance(minute)
      verify.equal(
        await operational.sessions.listBySubject(subjectId),
        [older, newer],
        'expired ones are left out',
      )
      verify.equal(
        await operational.sessions.listBySubject(uniqueId('nobody')),
        [],
        'a subject without sessions',
      )
    })

    h.test('removeBySubject removes only that subject’s sessions and counts them', async (s) => {
      const { operational, clock, verify } = s
      const subjectId = uniqueId('subject')
      const mine = [aSession(clock.now(), { subjectId }), aSession(clock.now(), { subjectId })]
      const theirs = [aSession(clock.now()), aSession(clock.now())]
      for (const x of [...mine, ...theirs]) await operational.sessions.create(x)
      verify.same(
        await operational.sessions.removeBySubject(subjectId),
        2,
        'removeBySubject reports how many',
      )
      verify.equal(
        await operational.sessions.listBySubject(subjectId),
        [],
        'the subject has no sessions left',
      )
      for (const x of theirs)
        verify.equal(await operational.sessions.get(x.key), x, 'other subjects untouched')
      verify.same(await operational.sessions.removeBySubject(subjectId), 0, 'nothing left to remove')
    })
  })
}
