/**
 * health(), close() and migrate(): the instance answers health checks, fails fast (with
 * StoreUnavailableError) when its backend is gone, and lets go of every resource on close.
 */
import type { PluginInstance, StoreRole } from '../../core/index.ts'
import { withinMs } from './deadline.ts'
import type { Harness } from './harness.ts'
import { processExitTest } from './process-exit.ts'
import { TestClock } from './test-clock.ts'
import { errorCodes } from './verify.ts'

/** How fast health() and store calls must give up on an unreachable backend. */
export const failFastMs = 5_000

export function lifecycleTests<O>(h: Harness<O>): void {
  const { runner, target, verify } = h
  runner.describe('lifecycle', () => {
    h.test('health() resolves while the backend is reachable', async ({ instance }) => {
      await withinMs(failFastMs, instance.health(), 'health() on a reachable backend')
    })

    h.test('close() is idempotent and health() rejects afterwards', async ({ instance }) => {
      await withinMs(failFastMs, instance.close(), 'close()')
      await withinMs(failFastMs, instance.close(), 'a second close()')
      await verify.rejects(
        () => withinMs(failFastMs, instance.health(), 'health() after close()'),
        'health() must reject once the instance is closed',
      )
    })

    h.test(
      'after close() a store call of each role rejects with StoreUnavailableError',
      async ({ instance }) => {
        await withinMs(failFastMs, instance.close(), 'close()')
        for (const [name, call] of oneCallPerRole(instance, h.roles)) {
          await verify.rejects(
            () => withinMs(failFastMs, call(), `${name} after close()`),
            `${name} must reject with StoreUnavailableError once the instance is closed: close() releases the connection, so nothing can answer`,
            errorCodes.unavailable,
          )
        }
      },
    )

    runner.test(
      'migrate() is idempotent and safe from two instances at once (when the plugin has one)',
      async () => {
        const options = await target.options()
        const instances: PluginInstance[] = []
        try {
          for (let i = 0; i < 2; i++) instances.push(await h.create(options, h.roles, new TestClock()))
          const [a, b] = instances as [PluginInstance, PluginInstance]
          if (!a.migrate || !b.migrate) return
          await Promise.all([a.migrate(), b.migrate()])
          await a.migrate()
          await a.health()
        } finally {
          for (const instance of instances) await instance.close()
          await target.cleanup?.(options)
        }
      },
      60_000,
    )

    const unreachable = target.unreachableOptions
    if (unreachable) {
      runner.test(
        `with an unreachable backend, health() rejects with StoreUnavailableError within ${failFastMs / 1000} s`,
        async () => {
          await withUnreachable(h, await unreachable(), async (instance) => {
            await verify.rejects(
              () => withinMs(failFastMs, instance.health(), 'health() on an unreachable backend'),
              `health() must reject with StoreUnavailableError within ${failFastMs} ms when the backend is gone`,
              errorCodes.unavailable,
            )
          })
        },
        30_000,
      )

      runner.test(
        `with an unreachable backend, store calls reject with StoreUnavailableError within ${failFastMs / 1000} s`,
        async () => {
          await withUnreachable(h, await unreachable(), async (instance) => {
            for (const [name, call] of oneCallPerRole(instance, h.roles)) {
              await verify.rejects(
                () => withinMs(failFastMs, call(), `${name} on an unreachable backend`),
                `${name} must reject with StoreUnavailableError (never hang or answer "not found") when the backend is gone`,
                errorCodes.unavailable,
              )
            }
          })
        },
        30_000,
      )
    }

    if (target.module) processExitTest(h, target.module)
  })
}

/** One read of each role, to see whether the instance can still reach its backend. */
function oneCallPerRole(
  instance: PluginInstance,
  roles: readonly StoreRole[],
): [string, () => Promise<unknown>][] {
  const calls: Record<StoreRole, [string, () => Promise<unknown>]> = {
    configuration: [
      'configuration.clients.findClientById',
      () => instance.configuration!.clients.findClientById('x'),
    ],
    operational: ['operational.grants.get', () => instance.operational!.grants.get('x')],
    keys: ['keys.list', () => instance.keys!.list()],
  }
  return roles.map((role) => calls[role])
}

/** Creates an instance on unreachable options; `create` itself may refuse with StoreUnavailableError. */
async function withUnreachable<O>(
  h: Harness<O>,
  options: O,
  fn: (instance: PluginInstance) => Promise<void>,
): Promise<void> {
  let instance: PluginInstance
  try {
    instance = await withinMs(
      failFastMs,
      h.create(options, h.roles, new TestClock()),
      'create() on an unreachable backend',
    )
  } catch (error) {
    await h.verify.rejects(
      () => Promise.reject(error),
      'create() on an unreachable backend must resolve, or reject with StoreUnavailableError',
      errorCodes.unavailable,
    )
    return
  }
  try {
    await fn(instance)
  } finally {
    await withinMs(failFastMs, instance.close(), 'close() on an unreachable backend')
  }
}
