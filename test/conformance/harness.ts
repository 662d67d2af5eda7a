/**
 * Opens a fresh plugin instance per test, on a fresh backend namespace from
 * `target.options()`, and always closes it and runs `target.cleanup` afterwards.
 */
import type {
  ConfigurationStores,
  KeyStore,
  OperationalStores,
  PluginInstance,
  StoreRole,
} from '../../core/index.ts'
import { silentLogger } from '../../core/logger.ts'
import { TestClock } from './test-clock.ts'
import type { ConformanceRunner, ConformanceTarget } from './types.ts'
import { Verify } from './verify.ts'

/** Generous: a networked backend may create a schema and migrate it for every test. */
export const testTimeoutMs = 30_000

export interface Opened {
  instance: PluginInstance
  clock: TestClock
  verify: Verify
}

export interface Stores extends Opened {
  configuration: ConfigurationStores
  operational: OperationalStores
  keys: KeyStore
}

export class Harness<Options> {
  readonly verify: Verify

  constructor(
    readonly runner: ConformanceRunner,
    readonly target: ConformanceTarget<Options>,
    /** The roles under test; every instance is created with exactly these. */
    readonly roles: readonly StoreRole[],
  ) {
    this.verify = new Verify(runner)
  }

  /** Registers a test that runs `fn` against a fresh instance. */
  test(name: string, fn: (stores: Stores) => Promise<void>, timeoutMs = testTimeoutMs): void {
    this.runner.test(name, () => this.withInstance(fn), timeoutMs)
  }

  /**
   * A describe block whose tests share one instance, opened in `beforeAll` and closed in
   * `afterAll` (or one instance per test when the runner has no hooks). Only for tests that
   * use unique ids and never count or list the whole store.
   */
  sharedDescribe(name: string, register: (test: Harness<Options>['test']) => void): void {
    const { beforeAll, afterAll } = this.runner
    if (!beforeAll || !afterAll) {
      this.runner.describe(name, () => register((n, fn, timeoutMs) => this.test(n, fn, timeoutMs)))
      return
    }
    this.runner.describe(name, () => {
      let shared: { stores: Stores; close: () => Promise<void> } | undefined
      beforeAll.call(this.runner, async () => {
        shared = await this.open()
      })
      afterAll.call(this.runner, () => shared?.close())
      register((n, fn, timeoutMs = testTimeoutMs) =>
        this.runner.test(
          n,
          () => {
            if (!shared)
              throw new Error(`the shared instance of "${name}" did not open (see the beforeAll error)`)
            return fn(shared.stores)
          },
          timeoutMs,
        ),
      )
    })
  }

  async withInstance(fn: (stores: Stores) => Promise<void>, clock = new TestClock()): Promise<void> {
    const { stores, close } = await this.open(clock)
    try {
      await fn(stores)
    } finally {
      await close()
    }
  }

  /** A migrated instance on fresh options; `close` closes it and then runs `target.cleanup`. */
  async open(clock = new TestClock()): Promise<{ stores: Stores; close: () => Promise<void> }> {
    const options = await this.target.options()
    let instance: PluginInstance | undefined
    const close = async () => {
      try {
        await instance?.close()
      } finally {
        await this.target.cleanup?.(options)
      }
    }
    try {
      instance = await this.create(options, this.roles, clock)
      if (instance.migrate) await instance.migrate()
    } catch (error) {
      await close()
      throw error
    }
    return { stores: this.#stores(instance, clock), close }
  }

  create(options: Options, roles: readonly StoreRole[], clock: TestClock): Promise<PluginInstance> {
    return this.target.plugin.create(options, { roles: [...roles], clock, logger: silentLogger })
  }

  #stores(instance: PluginInstance, clock: TestClock): Stores {
    const missing = (role: StoreRole) => (): never => {
      throw new Error(`create() was asked for the ${role} role but returned no ${role} stores`)
    }
    return {
      instance,
      clock,
      verify: this.verify,
      get configuration() {
        return instance.configuration ?? missing('configuration')()
      },
      get operational() {
        return instance.operational ?? missing('operational')()
      },
      get keys() {
        return instance.keys ?? missing('keys')()
      },
    }
  }
}
