/** Attempt counters on memory and over the replay cache of every real store backend. */
import { afterAll, beforeAll } from 'bun:test'
import { silentLogger } from '../../../core/logger.ts'
import type { AttemptCounter, AttemptRule } from '../../../core/protocol/throttle/attempt-counter.ts'
import { MemoryAttemptCounter } from '../../../core/protocol/throttle/memory-attempt-counter.ts'
import { ReplayCacheAttemptCounter } from '../../../core/protocol/throttle/replay-cache-attempt-counter.ts'
import type { ReplayCache } from '../../../core/stores/operational.ts'
import { backends } from '../../e2e/backends.ts'
import { TestClock } from '../fixtures.ts'

export interface CounterBackend {
  name: string
  /** The replay cache attempts are counted in; undefined for the in-memory counter. */
  open(clock: TestClock): Promise<{ replay?: ReplayCache | undefined; close(): Promise<void> }>
}

export const counterBackends: CounterBackend[] = [
  { name: 'in-memory counter', open: async () => ({ close: async () => {} }) },
  ...backends.map((backend) => ({
    name: `replay cache on ${backend.name}`,
    async open(clock: TestClock) {
      const namespace = backend.namespace()
      const instance = await backend.plugin.create(namespace.options, {
        roles: ['operational'],
        clock,
        logger: silentLogger,
      })
      await instance.migrate?.()
      return {
        replay: instance.operational!.replay,
        async close() {
          await instance.close()
          await namespace.dispose()
        },
      }
    },
  })),
]

export function counterFor(
  replay: ReplayCache | undefined,
  rule: AttemptRule,
  clock: TestClock,
  name = 'test',
): AttemptCounter {
  return replay
    ? new ReplayCacheAttemptCounter({ replay, rule, clock, name })
    : new MemoryAttemptCounter(rule, clock)
}

/**
 * Opens `backend` for the enclosing describe block (closed after it), with a clock of its own;
 * `replay()` is undefined for the in-memory counter.
 */
export function useCounterBackend(backend: CounterBackend): {
  clock: TestClock
  replay(): ReplayCache | undefined
} {
  const clock = new TestClock(1_800_000_000_000)
  let opened: Awaited<ReturnType<CounterBackend['open']>>
  beforeAll(async () => {
    opened = await backend.open(clock)
  }, 30_000)
  afterAll(() => opened.close())
  return { clock, replay: () => opened.replay }
}
