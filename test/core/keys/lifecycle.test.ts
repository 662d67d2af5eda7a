import { describe, expect, test } from 'bun:test'
import { defaultLifetimes, type KeyTimes, phases, plan } from '../../../core/keys/lifecycle.ts'
import { DAY } from './backends.ts'

const t0 = Date.UTC(2026, 0, 1)
const key = (kid: string, activatesAt: number): KeyTimes => ({ kid, createdAt: activatesAt, activatesAt })

describe('key lifecycle', () => {
  test('defaults follow the issue: 14 days propagation, 90 days rotation, 14 days retention', () => {
    expect(defaultLifetimes).toEqual({
      propagationTime: 14 * DAY,
      rotationInterval: 90 * DAY,
      retentionDuration: 14 * DAY,
    })
  })

  test('an empty family gets a key active at once', () => {
    expect(plan([], t0, defaultLifetimes)).toEqual({ create: { activatesAt: t0 }, expired: [] })
  })

  test('the successor is announced one propagation time before rotation, not earlier', () => {
    const keys = [key('a', t0)]
    expect(plan(keys, t0 + 76 * DAY - 1, defaultLifetimes).create).toBeUndefined()
    expect(plan(keys, t0 + 76 * DAY, defaultLifetimes).create).toEqual({ activatesAt: t0 + 90 * DAY })
    // Once announced, nothing more is due.
    expect(plan([...keys, key('b', t0 + 90 * DAY)], t0 + 80 * DAY, defaultLifetimes).create).toBeUndefined()
  })

  test('a family whose only keys are announced gets a key active at once', () => {
    expect(plan([key('b', t0 + DAY)], t0, defaultLifetimes).create).toEqual({ activatesAt: t0 })
  })

  test('statuses and dates over a full rotation', () => {
    const keys = [key('a', t0), key('b', t0 + 90 * DAY)]
    const at = (now: number) => phases(keys, now, defaultLifetimes).map((p) => p.status)
    expect(at(t0 + 80 * DAY)).toEqual(['active', 'announced'])
    expect(at(t0 + 90 * DAY)).toEqual(['retired', 'active'])
    expect(at(t0 + 104 * DAY - 1)).toEqual(['retired', 'active'])
    expect(at(t0 + 104 * DAY)).toEqual(['expired', 'active'])
    expect(phases(keys, t0, defaultLifetimes)[0]).toMatchObject({
      retiresAt: t0 + 90 * DAY,
      deletesAt: t0 + 104 * DAY,
    })
    expect(plan(keys, t0 + 104 * DAY, defaultLifetimes).expired).toEqual(['a'])
  })

  test('the active key keeps signing past its rotation date until a successor activates', () => {
    const phase = phases([key('a', t0)], t0 + 365 * DAY, defaultLifetimes)[0]
    expect(phase?.status).toBe('active')
  })

  test('keys activating in the same millisecond: the one created last is active', () => {
    expect(phases([key('a', t0), key('b', t0)], t0, defaultLifetimes).map((p) => p.status)).toEqual([
      'retired',
      'active',
    ])
  })
})
