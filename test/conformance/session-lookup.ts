/**
 * `sessions.findBySessionId`: a session found by its `sid` alone (the admin CLI's
 * `sessions revoke --sid`), exactly, live only, and gone once the session is.
 */
import type { UserSession } from '../../core/index.ts'
import { show } from './differences.ts'
import { aSession, hour, minute, uniqueId } from './fixtures.ts'
import { lookalikes } from './grant-filters.ts'
import type { Harness } from './harness.ts'

export function sessionLookupTests<O>(h: Harness<O>): void {
  h.runner.describe('operational: user sessions by sid', () => {
    h.test(
      'findBySessionId returns the live session with that sid',
      async ({ operational, clock, verify }) => {
        const session = aSession(clock.now())
        await operational.sessions.create(session)
        verify.equal(
          await operational.sessions.findBySessionId(session.sessionId),
          session,
          'findBySessionId returns the session as created',
        )
        verify.absent(
          await operational.sessions.findBySessionId(uniqueId('sid')),
          'an unknown sid is undefined',
        )
      },
    )

    h.test('findBySessionId never returns an expired session (context clock)', async (s) => {
      const { operational, clock, verify } = s
      const session = aSession(clock.now(), { expiresAt: clock.now() + minute })
      await operational.sessions.create(session)
      clock.advance(minute - 1)
      verify.equal(
        await operational.sessions.findBySessionId(session.sessionId),
        session,
        'alive 1 ms before expiresAt',
      )
      clock.advance(1)
      verify.absent(
        await operational.sessions.findBySessionId(session.sessionId),
        'at expiresAt the session is not found by its sid',
      )
    })

    h.test('a renewed session is still found by its sid past its old expiry', async (s) => {
      const { operational, clock, verify } = s
      const session = aSession(clock.now(), { expiresAt: clock.now() + minute })
      await operational.sessions.create(session)
      const renewal = { renewedAt: clock.now(), expiresAt: clock.now() + hour }
      await operational.sessions.touch(session.key, renewal)
      clock.advance(2 * minute)
      verify.equal(
        await operational.sessions.findBySessionId(session.sessionId),
        { ...session, ...renewal },
        'touch keeps the session findable by sid until its new expiresAt',
      )
    })

    h.test('a removed session is not found by its sid (remove, removeBySubject)', async (s) => {
      const { operational, clock, verify } = s
      const one = aSession(clock.now())
      const other = aSession(clock.now())
      await operational.sessions.create(one)
      await operational.sessions.create(other)
      await operational.sessions.remove(one.key)
      verify.absent(await operational.sessions.findBySessionId(one.sessionId), 'after remove(key)')
      await operational.sessions.removeBySubject(other.subjectId)
      verify.absent(await operational.sessions.findBySessionId(other.sessionId), 'after removeBySubject')
    })

    h.test('two sessions of one subject are found each by its own sid', async (s) => {
      const { operational, clock, verify } = s
      const subjectId = uniqueId('subject')
      const first = aSession(clock.now(), { subjectId })
      const second = aSession(clock.now(), { subjectId })
      await operational.sessions.create(first)
      await operational.sessions.create(second)
      for (const session of [first, second]) {
        verify.equal(
          await operational.sessions.findBySessionId(session.sessionId),
          session,
          'findBySessionId returns the session holding that sid, not another of its subject',
        )
      }
    })

    h.test('findBySessionId matches the sid exactly, never a look-alike', async (s) => {
      const { operational, clock, verify } = s
      // The sid holds LIKE and glob wildcards, which a store must match literally.
      const sid = `${uniqueId('sid')}%_*`
      const guarantee = 'findBySessionId must match the sid exactly'
      const lookalike = (found: UserSession | undefined, asked: string) =>
        found &&
        verify.fail(guarantee, [`sessionId ${show(asked)} matched look-alike ${show(found.sessionId)}`])
      for (const value of lookalikes(sid)) {
        await operational.sessions.create(aSession(clock.now(), { sessionId: value }))
      }
      lookalike(await operational.sessions.findBySessionId(sid), sid)
      const session = aSession(clock.now(), { sessionId: sid })
      await operational.sessions.create(session)
      verify.equal(await operational.sessions.findBySessionId(sid), session, guarantee, { sessionId: sid })
      // The same rule from the other side: a lookup by a look-alike never finds this session.
      for (const value of [sid.slice(0, -3), sid.replace('sid', 'SID')]) {
        const found = await operational.sessions.findBySessionId(value)
        if (found?.key === session.key) lookalike(found, value)
      }
      verify.absent(
        await operational.sessions.findBySessionId(`${sid}\u0000tail`),
        'a sid holding U+0000 finds nothing',
      )
    })
  })
}
