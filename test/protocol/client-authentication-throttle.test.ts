import { expect, test } from 'bun:test'
import { ClientAuthenticationThrottle } from '../../core/protocol/client-authentication-throttle.ts'
import { TestClock } from './fixtures.ts'

test('free attempts, then a delay that doubles per failure up to the maximum', () => {
  const clock = new TestClock()
  const throttle = new ClientAuthenticationThrottle({
    clock,
    freeAttempts: 3,
    baseDelayMs: 1000,
    maxDelayMs: 4000,
  })
  for (let i = 0; i < 2; i++) throttle.recordFailure('c')
  expect(throttle.retryAfter('c')).toBe(0)
  throttle.recordFailure('c')
  expect(throttle.retryAfter('c')).toBe(1)
  throttle.recordFailure('c')
  expect(throttle.retryAfter('c')).toBe(2)
  throttle.recordFailure('c')
  throttle.recordFailure('c')
  expect(throttle.retryAfter('c')).toBe(4)
  clock.advance(4000)
  expect(throttle.retryAfter('c')).toBe(0)
})

test('a success clears the count; old failures are forgotten after the window', () => {
  const clock = new TestClock()
  const throttle = new ClientAuthenticationThrottle({ clock, freeAttempts: 2, windowMs: 10_000 })
  throttle.recordFailure('c')
  throttle.recordSuccess('c')
  throttle.recordFailure('c')
  expect(throttle.retryAfter('c')).toBe(0)
  clock.advance(10_000)
  throttle.recordFailure('c')
  expect(throttle.retryAfter('c')).toBe(0)
})

test('keys are independent and memory is bounded', () => {
  const clock = new TestClock()
  const throttle = new ClientAuthenticationThrottle({ clock, freeAttempts: 1, maxEntries: 2 })
  throttle.recordFailure('a')
  expect(throttle.retryAfter('a')).toBe(1)
  expect(throttle.retryAfter('b')).toBe(0)
  throttle.recordFailure('b')
  throttle.recordFailure('c')
  // 'a' was the oldest and has been dropped.
  expect(throttle.retryAfter('a')).toBe(0)
  expect(throttle.retryAfter('c')).toBe(1)
})
