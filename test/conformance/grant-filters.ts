/**
 * getAll/removeAll select grants by every combination of subjectId, clientId, sessionId and
 * type, and never touch a grant that differs in any given field.
 */
import type { GrantFilter, PersistedGrant } from '../../core/index.ts'
import { show } from './differences.ts'
import { aGrant, hour, minute, sortBy, uniqueId } from './fixtures.ts'
import type { Harness, Stores } from './harness.ts'
import type { Verify } from './verify.ts'

const fields = ['subjectId', 'clientId', 'sessionId', 'type'] as const
type Field = (typeof fields)[number]

/** Every non-empty subset of the filter fields: 15 combinations. */
const combinations: Field[][] = Array.from({ length: 15 }, (_, i) =>
  fields.filter((_, bit) => ((i + 1) >> bit) & 1),
)

/**
 * Values a store must tell apart from `value`: it with more after it (a prefix match), in
 * upper case (a case-insensitive collation), and what its own `*`, `%` or `_` would match were
 * it used as a LIKE or glob pattern.
 */
export function lookalikes(value: string): string[] {
  const like = value.replaceAll('%', '%-').replaceAll('_', '-')
  const glob = value.replaceAll('*', '*-')
  return [...new Set([`${value}:more`, value.toUpperCase(), like, glob])].filter((v) => v !== value)
}

/**
 * Two values of each field, every combination of them, plus grants lacking subject and session,
 * and grants like the target but for a look-alike value in one field.
 */
function population(now: number): { grants: PersistedGrant[]; target: Required<GrantFilter> } {
  // The targeted values hold LIKE and glob wildcards, which a store must match literally.
  const subjects = [`${uniqueId('alice')}*%`, uniqueId('bob')] as const
  const clients = [`${uniqueId('web')}_*`, uniqueId('tv')] as const
  const sessions = [`${uniqueId('sid')}%_`, uniqueId('sid')] as const
  const types = ['refresh_token', 'user_consent'] as const
  const grants: PersistedGrant[] = []
  for (const subjectId of subjects)
    for (const clientId of clients)
      for (const sessionId of sessions)
        for (const type of types) grants.push(aGrant(now, { subjectId, clientId, sessionId, type }))
  for (const clientId of clients) {
    const machine = aGrant(now, { clientId, type: 'refresh_token' })
    delete machine.subjectId
    delete machine.sessionId
    grants.push(machine)
  }
  const noSession = aGrant(now, { subjectId: subjects[0], clientId: clients[0], type: 'refresh_token' })
  delete noSession.sessionId
  grants.push(noSession)
  const target = {
    subjectId: subjects[0],
    clientId: clients[0],
    sessionId: sessions[0],
    type: 'refresh_token',
  }
  for (const field of fields) {
    for (const value of lookalikes(target[field])) grants.push(aGrant(now, { ...target, [field]: value }))
  }
  return { grants, target }
}

function matches(grant: PersistedGrant, filter: GrantFilter): boolean {
  return fields.every((field) => filter[field] === undefined || grant[field] === filter[field])
}

async function seed(operational: Stores['operational'], now: number) {
  const { grants, target } = population(now)
  for (const grant of grants) await operational.grants.store(grant)
  return { grants, target }
}

/** Grants a filter selected wrongly (`wrong`) or failed to select (`missed`), each told in one line. */
function verifySelection(
  verify: Verify,
  guarantee: string,
  filter: GrantFilter,
  { wrong, missed, verb }: { wrong: PersistedGrant[]; missed: PersistedGrant[]; verb: string },
): void {
  if (wrong.length === 0 && missed.length === 0) return
  const lines = [`filter: ${show(filter)}`]
  for (const grant of wrong.slice(0, 4)) lines.push(`${verb} a grant it must not: ${mismatch(grant, filter)}`)
  if (wrong.length > 4) lines.push(`… and ${wrong.length - 4} more it must not have ${verb}`)
  for (const grant of missed.slice(0, 2)) lines.push(`missed a matching grant: ${show(pick(grant))}`)
  if (missed.length > 2) lines.push(`… and ${missed.length - 2} more matching grants missed`)
  verify.fail(guarantee, lines)
}

/** How a grant differs from the filter it should not have matched: `clientId "a_*" matched look-alike "a-x"`. */
function mismatch(grant: PersistedGrant, filter: GrantFilter): string {
  return fields
    .filter((field) => filter[field] !== undefined && grant[field] !== filter[field])
    .map((field) =>
      grant[field] === undefined
        ? `${field} ${show(filter[field])} matched a grant without one`
        : `${field} ${show(filter[field])} matched look-alike ${show(grant[field])}`,
    )
    .join(', ')
}

function pick(grant: PersistedGrant): GrantFilter {
  return Object.fromEntries(fields.map((field) => [field, grant[field]])) as GrantFilter
}

export function grantFilterTests<O>(h: Harness<O>): void {
  // Tests seed grants under fresh unique ids, so the block shares one instance; a filter by
  // type alone would also match other tests' grants, so those two get an instance of their own.
  h.sharedDescribe('operational: grant filters', (sharedTest) => {
    for (const combination of combinations) {
      const label = combination.join('+')
      const test = label === 'type' ? h.test.bind(h) : sharedTest

      test(`getAll by ${label} returns exactly the matching grants`, async ({
        operational,
        clock,
        verify,
      }) => {
        const { grants, target } = await seed(operational, clock.now())
        const filter = Object.fromEntries(combination.map((f) => [f, target[f]])) as GrantFilter
        const expected = grants.filter((g) => matches(g, filter))
        const returned = await operational.grants.getAll(filter)
        const guarantee = `getAll(${label}) must return every grant matching all given fields and nothing else`
        const keys = new Set(returned.map((g) => g.key))
        verifySelection(verify, guarantee, filter, {
          wrong: returned.filter((g) => !matches(g, filter)),
          missed: expected.filter((g) => !keys.has(g.key)),
          verb: 'returned',
        })
        verify.equal(sortBy(returned, 'key'), sortBy(expected, 'key'), guarantee, filter)
      })

      test(`removeAll by ${label} removes exactly the matching grants`, async ({
        operational,
        clock,
        verify,
      }) => {
        const { grants, target } = await seed(operational, clock.now())
        const filter = Object.fromEntries(combination.map((f) => [f, target[f]])) as GrantFilter
        const expected = grants.filter((g) => matches(g, filter))
        verify.same(
          await operational.grants.removeAll(filter),
          expected.length,
          `removeAll(${label}) must report how many grants it removed`,
        )
        const left = new Map<string, PersistedGrant | undefined>()
        for (const grant of grants) left.set(grant.key, await operational.grants.get(grant.key))
        verifySelection(
          verify,
          `removeAll(${label}) must remove exactly the grants matching all given fields`,
          filter,
          {
            wrong: grants.filter((g) => !matches(g, filter) && left.get(g.key) === undefined),
            missed: grants.filter((g) => matches(g, filter) && left.get(g.key) !== undefined),
            verb: 'removed',
          },
        )
        for (const grant of grants) {
          if (matches(grant, filter)) continue
          verify.equal(
            left.get(grant.key),
            grant,
            `removeAll(${label}) must not touch a grant that differs in a given field`,
            filter,
          )
        }
      })
    }

    sharedTest('getAll never returns expired grants', async ({ operational, clock, verify }) => {
      const subjectId = uniqueId('subject')
      const short = aGrant(clock.now(), { subjectId, expiresAt: clock.now() + minute })
      const long = aGrant(clock.now(), { subjectId, expiresAt: clock.now() + hour })
      await operational.grants.store(short)
      await operational.grants.store(long)
      clock.advance(minute)
      verify.equal(
        await operational.grants.getAll({ subjectId }),
        [long],
        'an expired grant must not be listed',
      )
    })

    sharedTest('removeAll also removes expired grants not yet purged, and counts them', async (s) => {
      const { operational, clock, verify } = s
      const subjectId = uniqueId('subject')
      await operational.grants.store(aGrant(clock.now(), { subjectId, expiresAt: clock.now() + minute }))
      await operational.grants.store(aGrant(clock.now(), { subjectId, expiresAt: clock.now() + hour }))
      clock.advance(minute)
      verify.same(
        await operational.grants.removeAll({ subjectId }),
        2,
        'removeAll removes every matching grant, expired ones not yet purged included, and counts each',
        { subjectId },
      )
      verify.same(
        await operational.grants.removeAll({ subjectId }),
        0,
        'after removeAll no matching grant is left, expired or not',
        { subjectId },
      )
    })

    sharedTest('getAll also returns consumed grants (core revokes families by them)', async (s) => {
      const { operational, clock, verify } = s
      const grant = aGrant(clock.now())
      await operational.grants.store(grant)
      clock.advance(1000)
      await operational.grants.consume(grant.key)
      const listed = await operational.grants.getAll({ subjectId: grant.subjectId! })
      verify.equal(listed, [{ ...grant, consumedAt: clock.now() }], 'a consumed grant is still listed')
    })

    sharedTest('an empty filter is rejected by getAll and removeAll, and removes nothing', async (s) => {
      const { operational, clock, verify } = s
      const { grants } = await seed(operational, clock.now())
      await verify.rejects(
        () => operational.grants.getAll({}),
        'getAll({}) must reject, not list every grant',
      )
      await verify.rejects(
        () => operational.grants.removeAll({}),
        'removeAll({}) must reject, not remove all',
      )
      await verify.rejects(
        () => operational.grants.removeAll({ subjectId: undefined }),
        'removeAll with only undefined fields must reject',
      )
      for (const grant of grants) {
        verify.equal(
          await operational.grants.get(grant.key),
          grant,
          'a rejected removeAll must remove nothing',
        )
      }
    })
  })
}
