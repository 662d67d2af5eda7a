import type { Clock } from '../../core/clock.ts'

/**
 * A clock that stands still until a test moves it. It starts at the real time, so a backend
 * that turns `expiresAt` into a native TTL (relative or absolute) sees sensible values.
 */
export class TestClock implements Clock {
  #now: number

  constructor(start = Date.now()) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  advance(ms: number): void {
    this.#now += ms
  }
}
