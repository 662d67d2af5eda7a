import type { StorePlugin, StoreRole } from '../../core/index.ts'

/** The test functions of the caller's runner: bun:test's or vitest's, passed through as they are. */
export interface ConformanceRunner {
  describe(name: string, fn: () => void): void
  test(name: string, fn: () => unknown | Promise<unknown>, timeoutMs?: number): void
  // biome-ignore lint/suspicious/noExplicitAny: the runner's own `expect`, whose type the kit cannot name
  expect: (value: unknown) => any
  beforeAll?(fn: () => unknown): void
  afterAll?(fn: () => unknown): void
}

export interface ConformanceTarget<Options> {
  plugin: StorePlugin<Options>
  /** Options for a fresh, empty backend namespace. Called for each instance the kit creates. */
  options: () => Options | Promise<Options>
  /** Drops whatever those options created (schema, key prefix, file). Called after the instance is closed. */
  cleanup?: (options: Options) => Promise<void>
  /** Options whose backend is unreachable (e.g. a closed port), for the health()/fail-fast checks. */
  unreachableOptions?: () => Options | Promise<Options>
  /** Only these roles (default: plugin.capabilities.roles). */
  roles?: StoreRole[]
  /**
   * The plugin's module (an absolute path or a package name) whose default export is `plugin`.
   * When given, the kit runs the plugin in child processes: it checks that a process exits by
   * itself after `close()`, and races one-time operations from several processes at once. The
   * options must then be JSON-serialisable.
   */
  module?: string
  /**
   * Named opt-outs, each with the reason. `crossProcess`: the backend is never shared by two
   * processes (the memory plugin), so the race between processes does not apply.
   */
  optOut?: { crossProcess?: string }
}
